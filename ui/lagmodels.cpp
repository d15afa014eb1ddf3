#include "ui/lagmodels.h"

#include "models/qtstrings.h"
#include "ui/widgetutil.h"

#include <QColor>
#include <QLocale>
#include <algorithm>

namespace kp {

namespace {

// The one palette (ui::toneColor): good, warning, bad; nothing where the status is unknown.
QVariant statusColor(GroupStatus status)
{
    switch (status) {
    case GroupStatus::Ok:
        return ui::toneColor(ui::Tone::Good);
    case GroupStatus::Warn:
        return ui::toneColor(ui::Tone::Warning);
    case GroupStatus::Err:
        return ui::toneColor(ui::Tone::Bad);
    case GroupStatus::Unknown:
        break;
    }
    return {};
}

QVariant statusColor(PartitionStatus status)
{
    switch (status) {
    case PartitionStatus::Ok:
        return ui::toneColor(ui::Tone::Good);
    case PartitionStatus::Warn:
    case PartitionStatus::Stall:
        return ui::toneColor(ui::Tone::Warning);
    case PartitionStatus::Stop:
    case PartitionStatus::Rewind:
        return ui::toneColor(ui::Tone::Bad);
    case PartitionStatus::Unknown:
        break;
    }
    return {};
}

QVariant count(int64_t v)
{
    return v < 0 ? QVariant(QObject::tr("unknown")) : QVariant(QLocale().toString(qlonglong(v)));
}

} // namespace

QString formatTimeLag(const std::optional<double> &seconds)
{
    if (!seconds)
        return QObject::tr("unknown");
    const double s = *seconds;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
    const auto total = qint64(s);
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    if (total < 86400)
        return QStringLiteral("%1 h %2 min").arg(total / 3600).arg(total % 3600 / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h").arg(total / 86400).arg(total % 86400 / 3600);
}

void LagGroupsModel::setData(std::shared_ptr<const LagData> data)
{
    rearrange(std::move(data));
}

void LagGroupsModel::setFilter(const QRegularExpression &filter)
{
    m_filter = filter;
    rearrange(m_data);
}

void LagGroupsModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    rearrange(m_data);
}

namespace {

// -1, 0 or 1 as a's value in the column is below, equal to or above b's.
int compareGroups(const LagGroupRow &a, const LagGroupRow &b, int column)
{
    auto three = [](const auto &x, const auto &y) { return x < y ? -1 : y < x ? 1 : 0; };
    auto typeOf = [](const LagGroupRow &g) { return g.type.empty() ? std::string_view("unknown") : g.type; };
    int c = 0;
    switch (column) {
    case LagGroupsModel::Status:
        c = three(std::string_view(toString(a.status)), std::string_view(toString(b.status)));
        break;
    case LagGroupsModel::TotalLag:
        c = three(a.totalLag, b.totalLag);
        break;
    case LagGroupsModel::MaxTimeLag:
        c = three(a.maxTimeLagSeconds.value_or(-1.0), b.maxTimeLagSeconds.value_or(-1.0));
        break;
    case LagGroupsModel::Type:
        c = three(typeOf(a), typeOf(b));
        break;
    case LagGroupsModel::State:
        c = three(a.state, b.state);
        break;
    case LagGroupsModel::Members:
        c = three(a.members, b.members);
        break;
    case LagGroupsModel::Partitions:
        c = three(a.partitions, b.partitions);
        break;
    case LagGroupsModel::Group:
        c = three(a.group, b.group);
        break;
    default:
        break;
    }
    return c;
}

} // namespace

std::vector<int> LagGroupsModel::arranged(const LagData *data) const
{
    std::vector<int> rows;
    if (!data)
        return rows;
    const auto &groups = data->groups;
    rows.reserve(groups.size());
    const bool filtered = !m_filter.pattern().isEmpty();
    for (int i = 0; i < int(groups.size()); ++i)
        if (!filtered || m_filter.match(qs(groups[size_t(i)].group)).hasMatch())
            rows.push_back(i);
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        const LagGroupRow &x = groups[size_t(a)], &y = groups[size_t(b)];
        const int c = compareGroups(x, y, m_sortColumn);
        return c != 0 ? (descending ? c > 0 : c < 0) : x.group < y.group; // ties by name, A to Z either way
    });
    return rows;
}

void LagGroupsModel::rearrange(std::shared_ptr<const LagData> data)
{
    std::vector<int> shown = arranged(data.get());
    if (shown.size() != m_shown.size()) { // rows come or go: the page chooses its group again
        beginResetModel();
        m_data = std::move(data);
        m_shown = std::move(shown);
        endResetModel();
        return;
    }
    // As many rows: the view's current row and selection (persistent indexes, a few) follow their groups by name.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &i : before) {
        const LagGroupRow *g = row(i.row()); // still the rows shown before
        const int r = g ? rowOf(*data, shown, g->group) : -1;
        after.push_back(r < 0 ? QModelIndex() : createIndex(r, i.column()));
    }
    m_data = std::move(data);
    m_shown = std::move(shown);
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

const LagGroupRow *LagGroupsModel::row(int r) const
{
    return m_data && r >= 0 && r < int(m_shown.size()) ? &m_data->groups[size_t(m_shown[size_t(r)])] : nullptr;
}

int LagGroupsModel::rowOf(const std::string &group) const
{
    return m_data ? rowOf(*m_data, m_shown, group) : -1;
}

// A scan, not an index: asked a few times a sample, 10,000 names compared in microseconds; a hash of them built at
// every sample cost more (an allocation a node).
int LagGroupsModel::rowOf(const LagData &data, const std::vector<int> &shown, const std::string &group)
{
    for (int r = 0; r < int(shown.size()); ++r)
        if (data.groups[size_t(shown[size_t(r)])].group == group)
            return r;
    return -1;
}

int LagGroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant LagGroupsModel::data(const QModelIndex &index, int role) const
{
    const LagGroupRow *g = index.isValid() ? row(index.row()) : nullptr;
    if (!g)
        return {};
    const int c = index.column();
    if (role == Qt::DisplayRole || role == kRawRole) {
        const bool raw = role == kRawRole;
        switch (c) {
        case Group:
            return qs(g->group);
        case Type:
            return g->type.empty() ? tr("unknown") : qs(g->type);
        case State:
            return qs(g->state);
        case Members:
            return g->members;
        case Partitions:
            return g->partitions;
        case TotalLag:
            return raw ? QVariant(qlonglong(g->totalLag)) : count(g->totalLag);
        case MaxTimeLag:
            return raw ? QVariant(g->maxTimeLagSeconds.value_or(-1.0)) : QVariant(formatTimeLag(g->maxTimeLagSeconds));
        case Status:
            return QString::fromLatin1(toString(g->status));
        }
    } else if (role == Qt::TextAlignmentRole) {
        if (c == Members || c == Partitions || c == TotalLag || c == MaxTimeLag)
            return int(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ForegroundRole && c == Status) {
        return statusColor(g->status);
    } else if (role == Qt::ToolTipRole && c == Status && g->status == GroupStatus::Unknown) {
        return tr("Status needs a recorded history: connect to the cluster and let it sample");
    } else if (role == Qt::ToolTipRole && c == Type) {
        if (g->type == "consumer")
            return tr("The consumer group protocol of KIP-848 (Kafka 4.0 and later): the broker assigns partitions");
        if (g->type == "classic")
            return tr("The classic group protocol: a client leader assigns partitions");
        if (g->type.empty())
            return tr("The broker does not say (ListGroups before version 5, Kafka 3.6 and older)");
    } else if (role == Qt::ToolTipRole && c == Members && g->members > 0 && m_data->snapshot) {
        if (const ConsumerGroup *group = m_data->snapshot->group(g->group))
            return qs(memberSummary(*group));
    }
    return {};
}

void LagPartitionsModel::setRows(std::shared_ptr<const LagData> data, const std::string &group)
{
    beginResetModel();
    m_data = std::move(data);
    m_rows = nullptr;
    m_group = nullptr;
    if (m_data) {
        if (auto it = m_data->partitions.find(group); it != m_data->partitions.end())
            m_rows = &it->second;
        if (m_data->snapshot)
            m_group = m_data->snapshot->group(group);
    }
    endResetModel();
}

int LagPartitionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_rows ? 0 : int(m_rows->size());
}

QVariant LagPartitionsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_rows || index.row() >= int(m_rows->size()))
        return {};
    const LagPartitionRow &p = (*m_rows)[size_t(index.row())];
    const int c = index.column();
    if (role == Qt::DisplayRole || role == kRawRole) {
        const bool raw = role == kRawRole;
        switch (c) {
        case Topic:
            return qs(p.topic());
        case Partition:
            return p.partition();
        case Committed:
            return raw                 ? QVariant(qlonglong(p.committed()))
                   : p.committed() < 0 ? QVariant(tr("none"))
                                       : QVariant(QLocale().toString(qlonglong(p.committed())));
        case End:
            return raw ? QVariant(qlonglong(p.end())) : count(p.end());
        case Lag:
            return raw ? QVariant(qlonglong(p.lag())) : count(p.lag());
        case TimeLag:
            return raw ? QVariant(p.timeLagSeconds.value_or(-1.0)) : QVariant(formatTimeLag(p.timeLagSeconds));
        case Status:
            return QString::fromLatin1(toString(p.status));
        case Owner: {
            const std::string owner = m_group ? ownerOf(*m_group, p) : std::string();
            return raw || !owner.empty() ? qs(owner) : tr("(unassigned)");
        }
        }
    } else if (role == Qt::TextAlignmentRole) {
        if (c >= Partition && c <= TimeLag)
            return int(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ForegroundRole && c == Status) {
        return statusColor(p.status);
    } else if (role == Qt::ToolTipRole) {
        if (c == Status && p.texts && !p.texts->reason.empty())
            return qs(p.texts->reason);
        if (c == TimeLag && p.texts && !p.texts->timeLagNote.empty())
            return qs(p.texts->timeLagNote);
    }
    return {};
}

int HeaderedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant HeaderedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= m_headers.size())
        return {};
    return m_headers.at(section);
}

} // namespace kp
