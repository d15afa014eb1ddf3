#pragma once

#include "models/reviewdoc.h"
#include "services/clustercontext.h"
#include "services/reviewservice.h"
#include "ui/jobs.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace kp {

class ReviewConflictDialog;

// The Review page: the readiness scorecard, pass by pass, each item with its colour and why; a form for the item's
// owner, runbook, threshold, metric, evidence, notes, not-applicable reason and waiver; evidence refreshed from the
// open cluster; drills recorded from the session's samples; milestones and their comparison; Markdown, HTML, PDF and
// JSON export. Reviews are kept in the store (one JSON document each), saved as you type, off the GUI thread.
class ReviewPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit ReviewPage(ClusterContext *context, QWidget *parent = nullptr);

    const ReviewDocument &review() const { return m_doc; }
    void selectItem(const QString &id);
    // Evidence from the snapshot (and the training runs in the store) into the items it answers.
    void refreshEvidence();
    // Drills: samples arrive from the session while one runs.
    void startDrill();
    void stopDrill();
    bool drilling() const { return m_drilling; }
    void addDrillSample(SnapshotPtr sample);
    void addMilestone(const QString &name);
    std::vector<ItemChange> compareWith(const QString &milestone) const;
    // By suffix: .md, .html, .pdf, .json; written off the GUI thread, then exported(). False: refused at once.
    bool exportTo(const QString &path, QString *error);
    void openFile(const QString &path);
    void saveNow();                                 // waits for the write (tests, closing)
    int64_t revision() const { return m_revision; } // of the review shown, as last read or saved; 0: not stored yet

Q_SIGNALS:
    void reviewLoaded();
    void evidenceRefreshed();
    void saved();
    void drillChanged(bool running); // the window samples faster while a drill runs
    void failed(const QString &message);
    // A save crossed someone else's: the dialog that lets the person choose is open (tests answer it).
    void conflictShown(kp::ReviewConflictDialog *dialog);
    void exported(const QString &path, const QString &error); // error empty: written

private:
    void subscribe(ClusterContext *context);
    // reviewform.cpp
    QHBoxLayout *buildToolbar();
    QHBoxLayout *buildInputs();
    void buildItemForm(QWidget *parent);
    void connectItemForm();
    void newReview();
    void askMilestone();
    void showChangesSince();              // a milestone chosen, what changed since
    void setStore(const QString &dbPath); // loads the reviews; makes one from the bundled template if there is none
    void setSnapshot(SnapshotPtr snapshot, bool live);
    void load(const QString &name);
    void listStoredReviews(); // adds the stored reviews' names to the list
    void show();
    void showItem(QTreeWidgetItem *item);
    void itemEdited();
    void scheduleSave();
    void saveDone(const std::string &name, int64_t revision, const QString &error,
                  std::optional<StoredReviews::Loaded> theirs); // a save's outcome, on the GUI thread
    void resolveConflict(StoredReviews::Loaded theirs);
    void setError(const QString &message);
    void setFailure(const QString &message); // a read or save that failed: shown here and under Issues
    ReviewItem *current();

    QString m_dbPath;
    QString m_name;
    ReviewDocument m_doc;
    SnapshotPtr m_snapshot;
    bool m_live = false;
    bool m_loading = false;
    bool m_drilling = false;
    DrillRecord m_drill;
    std::map<std::string, int32_t> m_drillLeaders;
    QTimer *m_saveTimer = nullptr;
    int m_pendingSaves = 0;
    int64_t m_revision = 0;   // the stored revision m_doc is based on (0: new to the store)
    bool m_saving = false;    // one save at a time: each is based on the revision the one before made
    bool m_saveAgain = false; // asked for while one was under way
    bool m_resolving = false; // a conflict dialog is open: nothing is saved until it is answered
    ui::JobLane m_loadJob;    // the review being read from the store

    QComboBox *m_reviews = nullptr;
    QLineEdit *m_topics = nullptr;
    QDoubleSpinBox *m_window = nullptr, *m_budget = nullptr;
    QLabel *m_summary = nullptr, *m_error = nullptr, *m_status = nullptr, *m_evidenceAt = nullptr,
           *m_drillState = nullptr;
    QTreeWidget *m_items = nullptr;
    QLineEdit *m_person = nullptr, *m_team = nullptr, *m_runbook = nullptr, *m_threshold = nullptr, *m_metric = nullptr,
              *m_naReason = nullptr, *m_waiver = nullptr;
    QPlainTextEdit *m_notes = nullptr, *m_evidenceDetail = nullptr;
    QCheckBox *m_na = nullptr, *m_passes = nullptr, *m_waived = nullptr, *m_exercised = nullptr;
    QComboBox *m_basis = nullptr;
    QDateEdit *m_waiverUntil = nullptr;
    QPushButton *m_refresh = nullptr, *m_drillButton = nullptr;
};

} // namespace kp
