#pragma once

#include "models/clustersnapshot.h"
#include "models/lineage.h"

#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

namespace kp {

// "Record a training run": the job, the model, the topics, and either a time window or a consumer group's offsets
// now, with the schema and transformation versions and the source snapshots. OK is refused (the dialog stays open,
// nothing typed is lost) until the request is valid for `cluster`.
class RecordRunDialog : public QDialog
{
    Q_OBJECT
public:
    RecordRunDialog(const ClusterSnapshot &cluster, QWidget *parent = nullptr);
    const RunRequest &request() const { return m_request; } // once accepted

private:
    void createFields();
    void tryAccept();
    bool readRequest(RunRequest &r); // false: refused, said in a message box

    const ClusterSnapshot &m_cluster;
    RunRequest m_request;
    QLineEdit *m_job = nullptr, *m_model = nullptr, *m_topics = nullptr;
    QRadioButton *m_byWindow = nullptr, *m_byGroup = nullptr;
    QDateTimeEdit *m_from = nullptr, *m_to = nullptr;
    QComboBox *m_group = nullptr;
    QLineEdit *m_schemas = nullptr, *m_transform = nullptr, *m_snapshots = nullptr;
    QPlainTextEdit *m_notes = nullptr;
};

} // namespace kp
