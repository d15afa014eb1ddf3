#pragma once
// What went wrong, for the whole process: the shown snapshot's problems (what a collection could not read) and what
// any layer or page reports (a sample that failed, a review that cannot be read, a run that could not be checked).
// A repeat of an issue already listed counts up instead of adding a row. The window's Issues tab shows it.

#include "models/clustersnapshot.h"

#include <QDateTime>
#include <QMutex>
#include <QObject>
#include <QString>
#include <vector>

namespace kp {

struct Issue
{
    QString step;    // "sampling", "review", or a snapshot step ("logDirs", "watermarks", ...)
    QString subject; // what it concerns ("broker 2", a file), "" for the whole step
    QString message;
    QDateTime first, last;
    int count = 1;
    bool ofSnapshot = false; // a problem of the shown snapshot: replaced by the next snapshot's
};

class IssueLog : public QObject
{
    Q_OBJECT
public:
    static constexpr size_t kMaxReported = 200; // the oldest reported issue goes first

    static IssueLog &instance(); // the process's log (made on first use; signals reach its thread)

    // From any thread. The same step, subject and message as one listed already: that one counts up and moves to the
    // end with the time it last happened.
    void report(const QString &step, const QString &subject, const QString &message);
    // The problems of the snapshot now shown, replacing those of the one before.
    void setSnapshotProblems(const std::vector<Problem> &problems);
    // The snapshot's problems first, then the reported issues, oldest first.
    std::vector<Issue> issues() const;
    void clear();

Q_SIGNALS:
    void changed(); // on the log's thread

private:
    void notify();

    mutable QMutex m_mutex;
    std::vector<Issue> m_snapshot;
    std::vector<Issue> m_reported;
};

} // namespace kp
