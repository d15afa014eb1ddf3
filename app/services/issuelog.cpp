#include "services/issuelog.h"

#include "models/qtstrings.h"

#include <QCoreApplication>
#include <QMutexLocker>
#include <algorithm>

namespace kp {

IssueLog &IssueLog::instance()
{
    static IssueLog *log = [] {
        auto *l = new IssueLog;
        if (auto *app = QCoreApplication::instance())
            l->moveToThread(app->thread());
        return l;
    }();
    return *log;
}

void IssueLog::report(const QString &step, const QString &subject, const QString &message)
{
    const QDateTime now = QDateTime::currentDateTime();
    {
        QMutexLocker lock(&m_mutex);
        auto same = std::find_if(m_reported.begin(), m_reported.end(), [&](const Issue &i) {
            return i.step == step && i.subject == subject && i.message == message;
        });
        Issue issue{step, subject, message, now, now, 1, false};
        if (same != m_reported.end()) {
            issue.first = same->first;
            issue.count = same->count + 1;
            m_reported.erase(same);
        }
        m_reported.push_back(std::move(issue));
        if (m_reported.size() > kMaxReported)
            m_reported.erase(m_reported.begin());
    }
    notify();
}

void IssueLog::setSnapshotProblems(const std::vector<Problem> &problems)
{
    const QDateTime now = QDateTime::currentDateTime();
    {
        QMutexLocker lock(&m_mutex);
        m_snapshot.clear();
        for (const auto &p : problems)
            m_snapshot.push_back({qs(p.step), qs(p.subject), qs(p.message), now, now, 1, true});
    }
    notify();
}

std::vector<Issue> IssueLog::issues() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<Issue> all = m_snapshot;
    all.insert(all.end(), m_reported.begin(), m_reported.end());
    return all;
}

void IssueLog::clear()
{
    {
        QMutexLocker lock(&m_mutex);
        m_snapshot.clear();
        m_reported.clear();
    }
    notify();
}

void IssueLog::notify()
{
    // Direct on the log's thread, queued to it from any other.
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT changed(); }, Qt::AutoConnection);
}

} // namespace kp
