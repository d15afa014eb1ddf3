#pragma once
// The Lag page's refresh wave: what the chart group's latest wave did, in words, and its span marked on the chart.

#include "analysis/lagdata.h"

#include <QString>

class QCustomPlot;
class QCPItemRect;
class QCPItemText;

namespace kp {

// "Refresh wave (rewind) from 10:32:05: 8,000 of 8,000 messages replayed (1.7 MiB) at 320/s ...", or "" with none.
QString waveSummary(const LagData &data);

// A shaded band from the wave's start to when it caught up (or the last sample), labelled, on the lag chart.
class WaveMarks
{
public:
    explicit WaveMarks(QCustomPlot *plot);
    void show(const RefreshWave *wave); // null: hidden
    bool visible() const;

private:
    QCPItemRect *m_band = nullptr;
    QCPItemText *m_label = nullptr;
};

} // namespace kp
