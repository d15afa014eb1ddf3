#pragma once

#include "analysis/lagdata.h"

#include <QAbstractTableModel>
#include <QRegularExpression>
#include <memory>
#include <vector>

namespace kp {

// Raw values for sorting and export live in Qt::UserRole; DisplayRole is formatted for people.
inline constexpr int kRawRole = Qt::UserRole;

// A table whose column count and horizontal headers are a fixed list of names.
class HeaderedTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    HeaderedTableModel(QStringList headers, QObject *parent)
        : QAbstractTableModel(parent), m_headers(std::move(headers))
    {}
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
};

// One row per consumer group, filtered by name and sorted by the model itself: at 10,000 groups a sort through
// QSortFilterProxyModel asked data() for a QVariant twice per comparison at every sample; here the rows' raw values are
// compared. A new sample keeps the sort, the filter and the view's current row and selection (by group name).
class LagGroupsModel : public HeaderedTableModel
{
    Q_OBJECT
public:
    // The verdict and the lag beside the group's name: the pane is narrow, and what is cut off at its right edge
    // should be the details.
    enum Column { Group, Status, TotalLag, MaxTimeLag, Type, State, Members, Partitions, ColumnCount };
    explicit LagGroupsModel(QObject *parent = nullptr)
        : HeaderedTableModel({tr("Group"), tr("Status"), tr("Total lag"), tr("Max time lag"), tr("Type"), tr("State"),
                              tr("Members"), tr("Partitions")},
                             parent)
    {}

    void setData(std::shared_ptr<const LagData> data);
    // Rows whose group name the expression matches (an invalid one is ignored by the caller).
    void setFilter(const QRegularExpression &filter);
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    const LagGroupRow *row(int r) const;       // the r-th row shown
    int rowOf(const std::string &group) const; // -1 when not shown

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    // The rows to show, filtered and sorted: indices into data->groups.
    std::vector<int> arranged(const LagData *data) const;
    void rearrange(std::shared_ptr<const LagData> data); // data's arranged rows shown

    static int rowOf(const LagData &data, const std::vector<int> &shown, const std::string &group);

    std::shared_ptr<const LagData> m_data;
    std::vector<int> m_shown;
    QRegularExpression m_filter;
    int m_sortColumn = TotalLag;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
};

// The partitions of one group.
class LagPartitionsModel : public HeaderedTableModel
{
    Q_OBJECT
public:
    // The verdict and the lags first: at the pane's usual width the offsets and the owner are what scrolls away.
    enum Column { Topic, Partition, Status, Lag, TimeLag, Committed, End, Owner, ColumnCount };
    explicit LagPartitionsModel(QObject *parent = nullptr)
        : HeaderedTableModel({tr("Topic"), tr("Partition"), tr("Status"), tr("Lag"), tr("Time lag"), tr("Committed"),
                              tr("End offset"), tr("Owner")},
                             parent)
    {}

    void setRows(std::shared_ptr<const LagData> data, const std::string &group);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const LagData> m_data;
    const std::vector<LagPartitionRow> *m_rows = nullptr;
    const ConsumerGroup *m_group = nullptr; // the rows' group in the data's snapshot (its members own the rows)
};

// "1 h 02 min", "12.5 s", "unknown".
QString formatTimeLag(const std::optional<double> &seconds);

} // namespace kp
