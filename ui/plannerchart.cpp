// The Planner's chart: monthly cost by architecture (stacked items), cost against retention, replay duration against
// throughput, and the cheapest new architecture by write rate and retention. Drawn from the current plan, on the GUI
// thread (the largest, the 40 x 40 sweep, takes about 3 ms).
#include "ui/plannerpage.h"

#include "models/qtstrings.h"
#include "ui/plotutil.h"
#include "ui/widgetutil.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace kp {

using ui::wrapWords;

namespace {

// The bar chart's architecture names wrap at this many characters: at 1400 px, "dedicated Kafka cluster" and "Kafka
// with tiered storage" on one line each ran into each other.
constexpr int kAxisLabelChars = 19;

const char *kItems[] = {"compute", "block storage", "object storage", "object requests", "cross-AZ transfer"};

// The architectures' colours, in the plan's order: existing, dedicated, tiered, shared storage.
const QColor kArchColors[] = {QColor(0x55, 0x55, 0x55), QColor(0x1f, 0x5f, 0xa8), QColor(0x8e, 0x44, 0xad),
                              QColor(0x4c, 0x9a, 0x2a)};
} // namespace

void PlannerPage::drawChart()
{
    m_chart->clearPlottables();
    m_chartPoints = 0;
    // Short cost items three to a row, architecture names two.
    m_chart->legend->setWrap(m_chartKind->currentIndex() == int(Chart::MonthlyCost) ? 3 : 2);
    if (m_plan) {
        switch (Chart(m_chartKind->currentIndex())) {
        case Chart::MonthlyCost:
            drawCostBars();
            break;
        case Chart::CostAgainstRetention:
            drawCostAgainstRetention();
            break;
        case Chart::ReplayDuration:
            drawReplayDuration();
            break;
        case Chart::CheapestByRateAndRetention:
            drawCheapestMap();
            break;
        }
    }
    m_chart->replot();
}

void PlannerPage::drawCostAgainstRetention()
{
    // 1 day to twice the current retention (at least a month), every architecture.
    std::vector<double> days;
    const double maxDays = std::max(30.0, 2 * m_plan->workload.retentionHours / 24);
    for (double d = 1; d <= maxDays + 1e-9; d += std::max(1.0, std::floor(maxDays / 30)))
        days.push_back(d);
    const auto points = costAgainstRetention(planFile(), m_pricing, days);
    m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    for (size_t a = 0; a < m_plan->architectures.size(); ++a) {
        auto *g = m_chart->addGraph();
        g->setName(qs(m_plan->architectures[a].name));
        // The existing cluster dashed and in front: where it costs what a dedicated one would, both show.
        g->setPen(QPen(kArchColors[a % 4], 2, a == 0 ? Qt::DashLine : Qt::SolidLine));
        if (a == 0)
            g->setLayer(QStringLiteral("front"));
        for (const auto &p : points)
            g->addData(p.days, p.monthly[a]);
        m_chartPoints += int(points.size());
    }
    m_chart->xAxis->setLabel(tr("retention (days)"));
    m_chart->yAxis->setLabel(tr("%1 per month").arg(qs(m_plan->currency)));
    m_chart->rescaleAxes();
    m_chart->yAxis->setRangeLower(0);
}

void PlannerPage::drawCheapestMap()
{
    // A 40 x 40 sensitivity sweep (about 3 ms): which of the three new architectures costs least at each write
    // rate (up to 4x today's) and retention (up to 2x); the existing cluster keeps its brokers, so it is left out.
    const double w = std::max(1.0, m_plan->workload.writeMBps);
    const double days = m_plan->workload.retentionHours / 24;
    SweepAxis x{"write", std::max(1.0, w / 20), std::max(10.0, 4 * w), 40};
    SweepAxis y{"retention", std::max(0.5, days / 20), std::max(30.0, 2 * days), 40};
    std::vector<SweepPoint> points;
    try {
        points = sensitivitySweep(planFile(), m_pricing, x, y);
    } catch (const std::invalid_argument &) {
        return;
    }
    auto *map = new QCPColorMap(m_chart->xAxis, m_chart->yAxis);
    map->setObjectName(QStringLiteral("plannerCheapestMap"));
    map->data()->setSize(x.steps, y.steps);
    map->data()->setRange(QCPRange(x.from, x.to), QCPRange(y.from, y.to));
    for (int j = 0; j < y.steps; ++j)
        for (int i = 0; i < x.steps; ++i) {
            const auto &m = points[size_t(j * x.steps + i)].monthly;
            const auto cheapest = std::min_element(m.begin() + 1, m.end()) - m.begin();
            map->data()->setCell(i, j, double(cheapest));
        }
    QCPColorGradient gradient;
    gradient.setLevelCount(3);
    gradient.setColorStops({{0.0, kArchColors[1]}, {0.5, kArchColors[2]}, {1.0, kArchColors[3]}});
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    map->setGradient(gradient);
    map->setDataRange(QCPRange(1, 3));
    map->setInterpolate(false);
    map->removeFromLegend(); // its colours have legend entries of their own, below
    for (int a = 1; a < 4; ++a) {
        auto *key = m_chart->addGraph(); // legend entries for the map's colours
        key->setName(qs(m_plan->architectures[size_t(a)].name));
        key->setPen(QPen(kArchColors[a], 8));
    }
    auto *now = m_chart->addGraph();
    now->setName(tr("this workload"));
    now->setLineStyle(QCPGraph::lsNone);
    now->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, Qt::white, Qt::black, 10));
    now->addData(w, days);
    m_chartPoints = int(points.size());
    m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_chart->xAxis->setLabel(tr("write rate (MB/s)"));
    m_chart->yAxis->setLabel(tr("retention (days)"));
    m_chart->xAxis->setRange(x.from, x.to);
    m_chart->yAxis->setRange(y.from, y.to);
}

void PlannerPage::drawReplayDuration()
{
    std::vector<double> targets;
    for (double t = 25; t <= 3000; t *= 1.25)
        targets.push_back(t);
    const auto arch = Architecture(m_scenarioArch->currentData().toInt());
    std::vector<std::pair<double, double>> points;
    double days = 0;
    try {
        const ReplaySettings settings = replaySettings();
        days = settings.days;
        points = replayDurationAgainstThroughput(*m_plan, arch, settings, m_pricing, targets);
    } catch (const std::invalid_argument &) {
        return; // the scenario panel says why
    }
    m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    auto *g = m_chart->addGraph();
    g->setName(tr("%1 days on the %2").arg(days, 0, 'g', 3).arg(QString::fromLatin1(toString(arch))));
    g->setPen(QPen(kArchColors[int(arch) % 4], 2));
    for (const auto &[t, h] : points)
        if (std::isfinite(h))
            g->addData(t, h);
    m_chartPoints = int(points.size());
    m_chart->xAxis->setLabel(tr("target throughput (MB/s)"));
    m_chart->yAxis->setLabel(tr("hours"));
    m_chart->rescaleAxes();
    m_chart->yAxis->setRangeLower(0);
}

void PlannerPage::drawCostBars()
{
    m_chart->xAxis->setLabel(QString());
    // Stacked bars: one per architecture, one layer per cost item.
    QVector<double> ticks;
    QVector<QString> labels;
    for (size_t i = 0; i < m_plan->architectures.size(); ++i) {
        ticks << double(i + 1);
        labels << wrapWords(qs(m_plan->architectures[i].name), kAxisLabelChars);
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setRange(0.4, double(ticks.size()) + 0.6);
    const QColor colors[] = {QColor(0x1f, 0x5f, 0xa8), QColor(0x4c, 0x9a, 0x2a), QColor(0x8e, 0x44, 0xad),
                             QColor(0xe8, 0x8e, 0x00), QColor(0xb3, 0x26, 0x1e)};
    QCPBars *below = nullptr;
    double top = 0;
    for (size_t k = 0; k < std::size(kItems); ++k) {
        auto *bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
        bars->setName(QString::fromLatin1(kItems[k]));
        bars->setBrush(colors[k]);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.6);
        QVector<double> values;
        for (const auto &a : m_plan->architectures) {
            double v = 0;
            for (const auto &l : a.lines)
                if (l.item == kItems[k])
                    v += l.monthly;
            values << v;
        }
        bars->setData(ticks, values);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    for (const auto &a : m_plan->architectures)
        top = std::max(top, a.total());
    m_chart->yAxis->setRange(0, std::max(1.0, top * 1.1));
    m_chart->yAxis->setLabel(tr("%1 per month").arg(qs(m_plan->currency)));
    m_chartPoints = int(ticks.size());
}

} // namespace kp
