#include "ui/layoutview.h"

#include "models/overview.h"
#include "models/qtstrings.h"
#include "models/units.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <algorithm>
#include <cmath>
#include <set>

namespace kp {

LayoutView::LayoutView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("layoutView"));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    const QFontMetrics fm(font());
    m_rowHeight = std::max(14, fm.height() + 2);
    m_headerHeight = 4 * m_rowHeight + 4;
}

LayoutView::Violations LayoutView::violationsOf(const ClusterSnapshot &snapshot)
{
    return violationsOf(computeOverview(snapshot));
}

LayoutView::Violations LayoutView::violationsOf(const Overview &overview)
{
    Violations out;
    for (const auto &v : overview.rackViolations)
        out.insert({v.topic, v.partition});
    return out;
}

void LayoutView::setSnapshot(SnapshotPtr snapshot, const Violations &violations)
{
    m_snapshot = std::move(snapshot);
    m_marks.clear();
    m_columns.clear();
    m_columnOf.clear();
    m_allRows.clear();
    m_selectedRow = m_selectedColumn = -1;
    m_selectionText.clear();
    if (m_snapshot) {
        const ClusterSnapshot &s = *m_snapshot;
        for (const auto &b : s.brokers)
            m_columns.push_back({b.id, b.rackKnown && !b.rack.empty() ? qs(b.rack) : QStringLiteral("?"), 0, 0});
        std::sort(m_columns.begin(), m_columns.end(), [](const Column &a, const Column &b) {
            return std::tie(a.rack, a.broker) < std::tie(b.rack, b.broker);
        });
        for (int i = 0; i < int(m_columns.size()); ++i)
            m_columnOf[m_columns[size_t(i)].broker] = i;
        m_maxSize = 0;
        m_allRows.reserve(size_t(s.partitionCount()));
        for (const auto &t : s.topics)
            for (const auto &p : t.partitions) {
                uint8_t flags = 0;
                if (p.offline())
                    flags |= kOffline;
                else if (p.underReplicated())
                    flags |= kUrp;
                if (!violations.empty() && violations.count({t.name, p.partition}))
                    flags |= kViolation;
                m_allRows.push_back({&t, &p, flags});
                m_maxSize = std::max(m_maxSize, double(p.sizeBytes()));
                for (int32_t r : p.replicas)
                    if (auto it = m_columnOf.find(r); it != m_columnOf.end())
                        ++m_columns[size_t(it->second)].replicas;
                for (const auto &rs : p.replicaSizes)
                    if (auto it = m_columnOf.find(rs.broker); it != m_columnOf.end())
                        m_columns[size_t(it->second)].bytes += rs.sizeBytes;
            }
        int widest = 0;
        const QFontMetrics fm(font());
        for (const auto &t : s.topics)
            widest = std::max(widest, fm.horizontalAdvance(qs(t.name) + QStringLiteral("-9999")));
        m_labelWidth = std::clamp(widest + 12, 120, 320);
    }
    rebuildRows();
}

void LayoutView::setMarks(Marks marks, const QString &note)
{
    m_marks = std::move(marks);
    m_markNote = note;
    for (Row &r : m_allRows) {
        const bool isMarked = m_marks.count({r.topic->name, r.partition->partition}) > 0;
        r.flags = uint8_t(isMarked ? r.flags | kMarked : r.flags & ~kMarked);
    }
    rebuildRows();
}

bool LayoutView::marked(const Row &row, int32_t broker) const
{
    if (!(row.flags & kMarked))
        return false;
    const auto it = m_marks.find({row.topic->name, row.partition->partition});
    return it != m_marks.end() && std::find(it->second.begin(), it->second.end(), broker) != it->second.end();
}

void LayoutView::setRates(PartitionRatesPtr bytesPerSecond)
{
    m_rates = std::move(bytesPerSecond);
    m_maxRate = 0;
    if (m_rates)
        for (const auto &[tp, r] : *m_rates)
            m_maxRate = std::max(m_maxRate, r);
    viewport()->update();
}

void LayoutView::setFilter(const QRegularExpression &topic, State state)
{
    m_topicFilter = topic;
    m_state = state;
    rebuildRows();
}

void LayoutView::setColorBy(ColorBy by)
{
    m_colorBy = by;
    viewport()->update();
}

void LayoutView::rebuildRows()
{
    m_rows.clear();
    m_selectedRow = -1;
    const bool byTopic = m_topicFilter.isValid() && !m_topicFilter.pattern().isEmpty();
    const TopicInfo *lastTopic = nullptr;
    bool topicMatches = true;
    for (const auto &r : m_allRows) {
        if (r.topic != lastTopic) { // one regex match per topic, not per partition
            lastTopic = r.topic;
            topicMatches = !byTopic || m_topicFilter.match(qs(r.topic->name)).hasMatch();
        }
        if (!topicMatches)
            continue;
        if ((m_state == State::UnderReplicated && !(r.flags & kUrp)) ||
            (m_state == State::Offline && !(r.flags & kOffline)) ||
            (m_state == State::RackViolation && !(r.flags & kViolation)) ||
            (m_state == State::Marked && !(r.flags & kMarked)))
            continue;
        m_rows.push_back(r);
    }
    updateScrollBars();
    viewport()->update();
    Q_EMIT rowsChanged(int(m_rows.size()), int(m_allRows.size()));
}

int LayoutView::cellWidth() const
{
    if (m_columns.empty())
        return 24;
    const int available = viewport()->width() - m_labelWidth - 4;
    return std::clamp(available / int(m_columns.size()), 18, 110);
}

void LayoutView::updateScrollBars()
{
    const int contentHeight = int(m_rows.size()) * m_rowHeight;
    const int pageHeight = std::max(0, viewport()->height() - m_headerHeight);
    verticalScrollBar()->setRange(0, std::max(0, contentHeight - pageHeight));
    verticalScrollBar()->setPageStep(pageHeight);
    verticalScrollBar()->setSingleStep(m_rowHeight);
    const int contentWidth = m_labelWidth + int(m_columns.size()) * cellWidth();
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void LayoutView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

QRect LayoutView::cellRect(int row, int column) const
{
    const int w = cellWidth();
    return {m_labelWidth + column * w - horizontalScrollBar()->value(),
            m_headerHeight + row * m_rowHeight - verticalScrollBar()->value(), w, m_rowHeight};
}

std::pair<int, int> LayoutView::cellAt(const QPoint &pos) const
{
    if (pos.y() < m_headerHeight || pos.x() < m_labelWidth)
        return {-1, -1};
    const int row = (pos.y() - m_headerHeight + verticalScrollBar()->value()) / m_rowHeight;
    const int column = (pos.x() - m_labelWidth + horizontalScrollBar()->value()) / cellWidth();
    if (row < 0 || row >= int(m_rows.size()) || column < 0 || column >= int(m_columns.size()))
        return {-1, -1};
    return {row, column};
}

QColor LayoutView::cellColor(const Row &row) const
{
    // A light-to-dark blue ramp on a log scale, so that small partitions stay distinguishable beside huge ones.
    double value = -1, max = 0;
    if (m_colorBy == ColorBy::BytesInRate) {
        if (m_rates)
            if (const auto it = m_rates->find({row.topic->name, row.partition->partition}); it != m_rates->end())
                value = it->second;
        max = m_maxRate;
    } else {
        value = double(row.partition->sizeBytes());
        max = m_maxSize;
    }
    if (value < 0)
        return QColor(0xd0, 0xd0, 0xd0); // unknown
    const double f = max > 0 ? std::log1p(value) / std::log1p(max) : 0;
    return QColor::fromHsvF(0.58, 0.15 + 0.75 * f, 0.97 - 0.45 * f);
}

void LayoutView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QRect area = viewport()->rect();
    p.fillRect(area, palette().base());
    if (!m_snapshot) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("No snapshot: choose a cluster on the left."));
        return;
    }
    const int dy = verticalScrollBar()->value();
    const int first = std::max(0, dy / m_rowHeight);
    const int last = std::min(int(m_rows.size()) - 1, (dy + area.height() - m_headerHeight) / m_rowHeight);
    // Rows: only the visible ones.
    p.setClipRect(QRect(0, m_headerHeight, area.width(), area.height() - m_headerHeight));
    for (int i = first; i <= last; ++i)
        paintRow(p, i, m_headerHeight + i * m_rowHeight - dy);
    p.setClipping(false);
    paintHeader(p);
    p.setFont(font());
}

// One partition's row at `y`: a cell per replica (colour, leader mark, out of sync crossed), then its label.
void LayoutView::paintRow(QPainter &p, int i, int y)
{
    const QRect area = viewport()->rect();
    const int w = cellWidth();
    const int dx = horizontalScrollBar()->value();
    const QColor text = palette().color(QPalette::Text);
    const QColor leaderMark(0x1a, 0x1a, 0x1a);
    const QColor outOfSync(0xd9, 0x30, 0x25);
    const QColor movedMark(0xf5, 0x7c, 0x00);
    const QColor selected = palette().color(QPalette::Highlight);
    const int markSize = std::max(4, m_rowHeight / 3);
    const Row &r = m_rows[size_t(i)];
    if (i % 2)
        p.fillRect(QRect(0, y, area.width(), m_rowHeight), palette().alternateBase());
    const QColor fill = cellColor(r);
    const PartitionInfo &part = *r.partition;
    for (int32_t broker : part.replicas) {
        auto it = m_columnOf.find(broker);
        if (it == m_columnOf.end())
            continue;
        const QRect cell(m_labelWidth + it->second * w - dx + 1, y + 1, w - 2, m_rowHeight - 2);
        if (cell.right() < m_labelWidth || cell.left() > area.width())
            continue;
        const bool inSync = std::find(part.isr.begin(), part.isr.end(), broker) != part.isr.end();
        p.fillRect(cell, part.offline() ? QColor(0x9e, 0x9e, 0x9e) : fill);
        if (!inSync) {
            p.setPen(QPen(outOfSync, 2));
            p.drawRect(cell.adjusted(1, 1, -1, -1));
            p.drawLine(cell.topLeft(), cell.bottomRight());
        }
        if (broker == part.leader)
            p.fillRect(QRect(cell.left() + 2, cell.center().y() - markSize / 2, markSize, markSize), leaderMark);
        if (marked(r, broker)) {
            p.setPen(QPen(movedMark, 2));
            p.drawRect(cell.adjusted(1, 1, -1, -1));
        }
        if (i == m_selectedRow && it->second == m_selectedColumn) {
            p.setPen(QPen(selected, 2));
            p.drawRect(cell.adjusted(-1, -1, 0, 0));
        }
    }
    // The label last, over nothing: topic-partition.
    p.fillRect(QRect(0, y, m_labelWidth, m_rowHeight), i % 2 ? palette().alternateBase() : palette().base());
    if (r.flags & kProblems)
        p.fillRect(QRect(0, y, 4, m_rowHeight), r.flags & kOffline ? outOfSync
                                                : r.flags & kUrp   ? QColor(0xe8, 0x8e, 0x00)
                                                                   : QColor(0x8e, 0x44, 0xad));
    else if (r.flags & kMarked)
        p.fillRect(QRect(0, y, 4, m_rowHeight), movedMark);
    p.setPen(i == m_selectedRow ? selected : text);
    p.drawText(QRect(8, y, m_labelWidth - 12, m_rowHeight), Qt::AlignVCenter | Qt::AlignLeft,
               QStringLiteral("%1-%2").arg(qs(r.topic->name)).arg(part.partition));
}

// The header: racks with their totals, brokers with theirs.
void LayoutView::paintHeader(QPainter &p)
{
    const QRect area = viewport()->rect();
    const int w = cellWidth();
    const int dx = horizontalScrollBar()->value();
    const QColor grid = palette().color(QPalette::Midlight);
    const QColor text = palette().color(QPalette::Text);
    p.fillRect(QRect(0, 0, area.width(), m_headerHeight), palette().window());
    p.setPen(grid);
    p.drawLine(0, m_headerHeight - 1, area.width(), m_headerHeight - 1);
    p.setPen(text);
    const QFontMetrics fm(font());
    p.drawText(QRect(8, 0, m_labelWidth - 12, m_rowHeight), Qt::AlignVCenter,
               tr("%L1 of %L2 partitions").arg(m_rows.size()).arg(m_allRows.size()));
    p.drawText(QRect(8, m_rowHeight, m_labelWidth - 12, m_rowHeight), Qt::AlignVCenter, tr("rack: replicas · data"));
    p.drawText(QRect(8, 2 * m_rowHeight, m_labelWidth - 12, m_rowHeight), Qt::AlignVCenter, tr("broker"));
    p.drawText(QRect(8, 3 * m_rowHeight, m_labelWidth - 12, m_rowHeight), Qt::AlignVCenter, tr("replicas · data"));
    p.setClipRect(QRect(m_labelWidth, 0, area.width() - m_labelWidth, m_headerHeight));
    auto fitted = [&](const QString &full, const QString &shorter, int width) {
        if (fm.horizontalAdvance(full) <= width - 4)
            return full;
        return fm.elidedText(shorter, Qt::ElideRight, width - 4);
    };
    for (size_t c = 0; c < m_columns.size();) {
        // One band per rack, with its totals.
        size_t end = c;
        int64_t replicas = 0, bytes = 0;
        while (end < m_columns.size() && m_columns[end].rack == m_columns[c].rack) {
            replicas += m_columns[end].replicas;
            bytes += m_columns[end].bytes;
            ++end;
        }
        const QRect band(m_labelWidth + int(c) * w - dx, 0, int(end - c) * w, 2 * m_rowHeight);
        p.fillRect(band.adjusted(1, 1, -1, -1), QColor(0xe3, 0xea, 0xf4));
        p.setPen(QColor(0x22, 0x3b, 0x5c));
        p.drawText(QRect(band.left(), 0, band.width(), m_rowHeight), Qt::AlignCenter,
                   fm.elidedText(m_columns[c].rack, Qt::ElideMiddle, band.width() - 4));
        p.drawText(QRect(band.left(), m_rowHeight, band.width(), m_rowHeight), Qt::AlignCenter,
                   fitted(QStringLiteral("%L1 · %2").arg(replicas).arg(qs(formatBytes(bytes))),
                          QStringLiteral("%L1").arg(replicas), band.width()));
        for (size_t k = c; k < end; ++k) {
            const int x = m_labelWidth + int(k) * w - dx;
            p.setPen(text);
            p.drawText(QRect(x, 2 * m_rowHeight, w, m_rowHeight), Qt::AlignCenter,
                       QString::number(m_columns[k].broker));
            p.drawText(
                QRect(x, 3 * m_rowHeight, w, m_rowHeight), Qt::AlignCenter,
                fitted(QStringLiteral("%L1 · %2").arg(m_columns[k].replicas).arg(qs(formatBytes(m_columns[k].bytes))),
                       QStringLiteral("%L1").arg(m_columns[k].replicas), w));
            p.setPen(grid);
            p.drawLine(x, 2 * m_rowHeight, x, m_headerHeight);
        }
        c = end;
    }
}

void LayoutView::select(int row, int column)
{
    m_selectedRow = row;
    m_selectedColumn = column;
    if (row < 0 || column < 0) {
        m_selectionText.clear();
    } else {
        const Row &r = m_rows[size_t(row)];
        const Column &c = m_columns[size_t(column)];
        const PartitionInfo &part = *r.partition;
        const bool replica = std::find(part.replicas.begin(), part.replicas.end(), c.broker) != part.replicas.end();
        QString state;
        if (!replica)
            state = tr("no replica here");
        else if (part.leader == c.broker)
            state = tr("leader");
        else
            state = tr("follower");
        if (replica)
            state += std::find(part.isr.begin(), part.isr.end(), c.broker) != part.isr.end() ? tr(", in sync")
                                                                                             : tr(", OUT OF SYNC");
        QString size;
        for (const auto &rs : part.replicaSizes)
            if (rs.broker == c.broker)
                size = tr(", %1%2 on disk%3")
                           .arg(part.sizeEstimated ? QStringLiteral("~") : QString(), qs(formatBytes(rs.sizeBytes)),
                                rs.offsetLag > 0 ? tr(", %L1 offsets behind").arg(rs.offsetLag) : QString());
        QString replicas;
        for (int32_t b : part.replicas)
            replicas += (replicas.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(b);
        m_selectionText =
            tr("%1-%2 on broker %3 (%4): %5%6. Replicas %7; leader %8; ISR %9 of %10; offsets %L11 to %L12")
                .arg(qs(r.topic->name))
                .arg(part.partition)
                .arg(c.broker)
                .arg(c.rack, state, size, replicas)
                .arg(part.leader < 0 ? tr("none (offline)") : QString::number(part.leader))
                .arg(part.isr.size())
                .arg(part.replicas.size())
                .arg(part.lowWatermark)
                .arg(part.highWatermark);
        if (r.flags & kViolation)
            m_selectionText += tr("; replicas share a rack");
        if (marked(r, c.broker) && !m_markNote.isEmpty())
            m_selectionText += QStringLiteral("; ") + m_markNote;
        // Tiered: the disk holds only the local log; the offsets below it are in the remote tier only.
        if (const int64_t remote = part.remoteOnlyOffsets(); remote > 0)
            m_selectionText += tr("; local log from offset %L1: %L2 offsets in the remote tier only")
                                   .arg(part.localLogStartOffset)
                                   .arg(remote);
        else if (remote == 0)
            m_selectionText += tr("; tiered, all of it still on local disks");
    }
    viewport()->update();
    Q_EMIT selectionChanged(m_selectionText);
}

bool LayoutView::showPartition(const QString &topic, int partition)
{
    const std::string name = topic.toStdString();
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].topic->name == name && m_rows[i].partition->partition == partition) {
            const int leader = m_rows[i].partition->leader;
            auto it = m_columnOf.find(leader);
            const int column = it == m_columnOf.end() ? 0 : it->second;
            verticalScrollBar()->setValue(int(i) * m_rowHeight - (viewport()->height() - m_headerHeight) / 2);
            select(int(i), column);
            return true;
        }
    return false;
}

void LayoutView::mousePressEvent(QMouseEvent *event)
{
    const auto [row, column] = cellAt(event->position().toPoint());
    if (row >= 0)
        select(row, column);
    QAbstractScrollArea::mousePressEvent(event);
}

void LayoutView::keyPressEvent(QKeyEvent *event)
{
    if (m_rows.empty() || m_columns.empty())
        return QAbstractScrollArea::keyPressEvent(event);
    int row = std::max(0, m_selectedRow), column = std::max(0, m_selectedColumn);
    switch (event->key()) {
    case Qt::Key_Up:
        row = std::max(0, row - 1);
        break;
    case Qt::Key_Down:
        row = std::min(int(m_rows.size()) - 1, row + 1);
        break;
    case Qt::Key_Left:
        column = std::max(0, column - 1);
        break;
    case Qt::Key_Right:
        column = std::min(int(m_columns.size()) - 1, column + 1);
        break;
    default:
        return QAbstractScrollArea::keyPressEvent(event);
    }
    select(row, column);
    const QRect cell = cellRect(row, column);
    if (cell.top() < m_headerHeight)
        verticalScrollBar()->setValue(row * m_rowHeight);
    else if (cell.bottom() > viewport()->height())
        verticalScrollBar()->setValue((row + 1) * m_rowHeight - (viewport()->height() - m_headerHeight));
}

} // namespace kp
