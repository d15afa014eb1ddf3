#pragma once

#include "analysis/lagdata.h"

#include <QAbstractTableModel>
#include <memory>

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

// One row per consumer group.
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
    const LagGroupRow *row(int r) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const LagData> m_data;
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
