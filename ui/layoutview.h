#pragma once

#include "models/traffic.h"
#include "services/clustersession.h"

#include <QAbstractScrollArea>
#include <QRegularExpression>
#include <map>
#include <set>
#include <vector>

class QPainter;

namespace kp {

struct Overview;

// The broker x partition map: one row per partition, one column per broker grouped by rack, a cell per replica
// (leader marked, out-of-sync flagged, coloured by size or bytes-in rate), per-broker and per-rack totals in the
// header. One custom-painted view that paints only the visible rows, so 100,000 partitions x 30 brokers stay fluid.
class LayoutView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    enum class State { All, UnderReplicated, Offline, RackViolation, Marked };
    enum class ColorBy { Size, BytesInRate };

    explicit LayoutView(QWidget *parent = nullptr);

    using Violations = std::set<std::pair<std::string, int32_t>>;
    // The rack-awareness violations come from computeOverview(), which the caller runs off the GUI thread.
    void setSnapshot(SnapshotPtr snapshot, const Violations &violations = {});
    static Violations violationsOf(const ClusterSnapshot &snapshot);
    static Violations violationsOf(const Overview &overview);
    // Cells outlined per partition (a reassignment's replicas that leave, or arrive); a partition listed without
    // brokers is marked all the same (its preferred leader changes). State::Marked shows the marked partitions only;
    // `note` ends the selection text of an outlined cell. A new snapshot clears them.
    using Marks = std::map<TopicPartition, std::vector<int32_t>>;
    void setMarks(Marks marks, const QString &note);
    // Bytes/s produced per partition (from the history); empty when none is known.
    void setRates(PartitionRatesPtr bytesPerSecond);
    bool hasRates() const { return m_rates && !m_rates->empty(); }
    void setFilter(const QRegularExpression &topic, State state);
    void setColorBy(ColorBy by);
    // Scrolls to a partition and selects its leader cell; false when it is not among the rows shown.
    bool showPartition(const QString &topic, int partition);

    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    QString selectionText() const { return m_selectionText; }
    int selectedRow() const { return m_selectedRow; }
    int columnOf(int32_t broker) const
    {
        auto it = m_columnOf.find(broker);
        return it == m_columnOf.end() ? -1 : it->second;
    }
    // The cell at a viewport position as (row, column), or (-1, -1).
    std::pair<int, int> cellAt(const QPoint &pos) const;
    QRect cellRect(int row, int column) const;

Q_SIGNALS:
    void selectionChanged(const QString &details);
    void rowsChanged(int shown, int total);

protected:
    void paintEvent(QPaintEvent *event) override;
    void paintRow(QPainter &p, int row, int y);
    void paintHeader(QPainter &p);
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Column
    {
        int32_t broker;
        QString rack;
        int64_t replicas = 0;
        int64_t bytes = 0;
    };
    struct Row
    {
        const TopicInfo *topic;
        const PartitionInfo *partition;
        uint8_t flags; // kUrp | kOffline | kViolation
    };
    static constexpr uint8_t kUrp = 1, kOffline = 2, kViolation = 4, kMarked = 8;
    static constexpr uint8_t kProblems = kUrp | kOffline | kViolation;

    void rebuildRows();
    void updateScrollBars();
    void select(int row, int column);
    bool marked(const Row &row, int32_t broker) const;
    int cellWidth() const;
    QColor cellColor(const Row &row) const;

    SnapshotPtr m_snapshot;
    std::vector<Column> m_columns;
    std::map<int32_t, int> m_columnOf; // broker id -> column
    std::vector<Row> m_allRows;
    std::vector<Row> m_rows;
    PartitionRatesPtr m_rates;
    Marks m_marks;
    QString m_markNote;
    double m_maxSize = 0;
    double m_maxRate = 0;
    QRegularExpression m_topicFilter;
    State m_state = State::All;
    ColorBy m_colorBy = ColorBy::Size;
    int m_selectedRow = -1;
    int m_selectedColumn = -1;
    QString m_selectionText;
    int m_labelWidth = 220;
    int m_headerHeight = 58;
    int m_rowHeight = 16;
};

} // namespace kp
