#pragma once
// The replay probe from the window: what to read and its bounds, the probe run off the GUI thread with the bytes read
// so far, Esc to stop it (the partial result stays), the result as the command line's table, saved as JSON or opened
// in the Planner beside the replay scenario.

#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"
#include "models/replayprobe.h"

#include <QDialog>
#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace kp {

class ProbeDialog : public QDialog
{
    Q_OBJECT
public:
    // `racks`: the open cluster's, offered as the reader's AZ.
    ProbeDialog(ConnectionProfile profile, const std::vector<std::string> &racks, QWidget *parent = nullptr);
    ~ProbeDialog() override;

    // The form's request, checked (the reason in `error` when it is refused).
    std::optional<ProbeRequest> request(QString *error) const;
    void setTopics(const QString &regex);
    void setBounds(const QString &maxBytes, int maxSeconds);
    void setThrottle(double mbPerSecond); // 0: unthrottled
    void run();                           // as the Run button
    void stop();                          // as Esc while it runs
    bool running() const { return m_running; }
    const std::optional<ProbeResult> &result() const { return m_result; }
    QString statusText() const;

Q_SIGNALS:
    void finished(); // a result, or a failure in the status line
    void openInPlanner(const kp::ProbeResult &result);

protected:
    void reject() override; // Esc: stops a running probe; closes an idle dialog

private:
    void buildForm();
    void showResult(const ProbeResult &r);
    void fail(const QString &message);
    QByteArray resultText() const; // the result as JSON, what Save writes (on a worker); empty without one

    ConnectionProfile m_profile;
    QLineEdit *m_topics = nullptr;
    QCheckBox *m_earliest = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QLineEdit *m_maxBytes = nullptr;
    QSpinBox *m_maxSeconds = nullptr;
    QDoubleSpinBox *m_throttle = nullptr;
    QComboBox *m_rack = nullptr;
    QSpinBox *m_fetchers = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QPushButton *m_run = nullptr, *m_save = nullptr, *m_planner = nullptr;
    QTimer *m_ticker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_stop;
    std::shared_ptr<std::atomic<int64_t>> m_bytes;
    bool m_running = false;
    qint64 m_startedMs = 0;
    std::optional<ProbeResult> m_result;
};

} // namespace kp
