#include "store/historywindow.h"

#include "store/historypoints.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>

namespace kp {

namespace {

using historypoints::Keep;
using historypoints::keepPoint;
using historypoints::keepValue;
using historypoints::Target;
using historypoints::targetFor;

// The same shape, but perhaps for the groups kept whole (allOf: a chart's), which a window can change without reading
// itself whole (HistoryWindow::rechart).
bool sameShapeButCharted(const HistoryShape &a, const HistoryShape &b)
{
    return a.partitions == b.partitions && a.groups == b.groups && a.last == b.last && a.collapseRuns == b.collapseRuns;
}

// A commit series kept whole cut down to what `keep` holds of it, as a whole read would have kept it.
void reshape(std::vector<CommitPoint> &points, Keep keep, size_t last)
{
    switch (keep) {
    case Keep::All:
        return;
    case Keep::Last:
        if (points.size() > last)
            points.erase(points.begin(), points.end() - std::ptrdiff_t(last));
        break;
    case Keep::Endpoints:
        if (points.size() > 2)
            points.erase(points.begin() + 1, points.end() - 1);
        break;
    case Keep::None:
        points.clear();
        break;
    }
    points.shrink_to_fit();
}

std::set<std::string> difference(const std::set<std::string> &a, const std::set<std::string> &b)
{
    std::set<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
    return out;
}

// The result without the series left empty (all their points fell out of the window), as a whole read gives it.
SampleStore::History withoutEmpty(const SampleStore::History &h)
{
    SampleStore::History out;
    for (const auto &[tp, points] : h.partitions)
        if (!points.empty())
            out.partitions.emplace(tp, points);
    for (const auto &[group, parts] : h.groups)
        for (const auto &[tp, points] : parts)
            if (!points.empty())
                out.groups[group].emplace(tp, points);
    return out;
}

} // namespace

std::mutex &heavyHistoryTurn()
{
    static std::mutex turn;
    return turn;
}

bool WindowPlace::moveTo(SampleStore &store, const QString &dbPath, const std::string &id, int64_t key, int64_t toMs,
                         int64_t span, int64_t headAt)
{
    const bool follows = valid && db == dbPath && clusterId == id && spanMs == span && cluster == key &&
                         toMs >= headAt && store.inTierZero(key, toMs - span) &&
                         store.incarnationStarts(key, toMs) == starts;
    db = dbPath;
    clusterId = id;
    spanMs = span;
    cluster = key;
    valid = false;
    return follows;
}

SampleStore::History HistoryWindow::read(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                         int64_t spanMs, const HistoryShape &shape)
{
    std::scoped_lock lock(heavyHistoryTurn(), m_mutex);
    return withoutEmpty(update(dbPath, clusterId, toMs, spanMs, shape));
}

const SampleStore::History &HistoryWindow::update(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                                  int64_t spanMs, const HistoryShape &shape)
{
    static const SampleStore::History none;
    Database db(dbPath);
    SampleStore store(db);
    const int64_t cluster = store.clusterKeyOf(clusterId);
    const auto wentThrough = [&] {
        std::lock_guard lock(m_lastReadMutex);
        m_lastRead = {dbPath, clusterId, spanMs};
    };
    if (cluster < 0) {
        m_place.valid = false;
        m_lastWhole = true;
        wentThrough();
        return none;
    }
    const std::set<std::string> charted = m_shape.allOf;
    const bool follows = m_place.moveTo(store, dbPath, clusterId, cluster, toMs, spanMs, m_headAt) &&
                         sameShapeButCharted(m_shape, shape);
    m_shape = shape;
    if (!follows)
        readWhole(store, cluster, toMs);
    m_lastWhole = !follows || !follow(store, cluster, toMs); // follow() reads whole itself where it cannot follow
    if (!m_lastWhole && charted != m_shape.allOf)            // following: the charted groups were read before
        rechart(store, cluster, toMs, charted);
    m_place.valid = true;
    wentThrough();
    return m_history;
}

bool HistoryWindow::opened(const QString &dbPath, const std::string &clusterId, int64_t spanMs) const
{
    std::lock_guard lock(m_lastReadMutex);
    return m_lastRead.db == dbPath && m_lastRead.clusterId == clusterId && m_lastRead.spanMs == spanMs;
}

bool HistoryWindow::needsTail() const
{
    return (m_shape.partitions == Keep::All && m_shape.collapseRuns) || m_shape.partitions == Keep::Endpoints ||
           m_shape.groups == Keep::Endpoints;
}

void HistoryWindow::readWhole(SampleStore &store, int64_t cluster, int64_t toMs)
{
    const int64_t fromMs = toMs - m_place.spanMs;
    // The old window goes first: kept while the new one was read, both were held at once (tens of megabytes each on a
    // 50,000-partition cluster with 2,000 groups).
    m_history = {};
    m_targets = {};
    m_targetMade = {};
    m_tailValues = {};
    m_history = store.history(m_place.clusterId, fromMs, toMs, m_shape, m_names);
    fitCapacities(m_history);
    m_place.starts = store.incarnationStarts(cluster, toMs);
    m_names.forEach([&](uint32_t series, const SeriesName &) { // every series is trimmed, named by a sample or not
        targetOf(series, store, cluster);
    });
    m_names.clear();
    m_head = SampleDecoder();
    m_headAt = store.lastFrameAt(cluster, toMs);
    if (m_headAt >= 0)
        store.frameAt(cluster, m_headAt, m_head, [](int64_t, const std::vector<SeriesValue> &) {});
    m_tail = SampleDecoder();
    m_tailAt = -1;
    if (!needsTail())
        return;
    m_tailAt = store.firstFrameAt(cluster, 0, fromMs);
    if (m_tailAt >= 0 && m_tailAt <= m_headAt)
        store.frameAt(cluster, m_tailAt, m_tail,
                      [this](int64_t, const std::vector<SeriesValue> &values) { keepTail(values); });
    else
        m_tailAt = -1;
}

namespace {

// A series read whole grew by doubling: up to twice the room it needs (an hour of 10,000 moving partitions' end offsets
// held 127 MB for 87 MB of points). It keeps an eighth more than its points: following, each sample adds a point and
// trims one, so a series of a window of fixed span seldom grows again.
template <typename Point> void fitCapacity(std::vector<Point> &points)
{
    const size_t room = points.size() + points.size() / 8 + 8;
    if (points.capacity() <= room)
        return;
    std::vector<Point> fitted;
    fitted.reserve(room);
    fitted.assign(points.begin(), points.end());
    points.swap(fitted);
}

} // namespace

void HistoryWindow::fitCapacities(SampleStore::History &history)
{
    for (auto &[tp, points] : history.partitions)
        fitCapacity(points);
    for (auto &[group, parts] : history.groups)
        for (auto &[tp, points] : parts)
            fitCapacity(points);
}

void HistoryWindow::keepTail(const std::vector<SeriesValue> &values)
{
    m_tailValues.assign(m_tailValues.size(), TailValue{});
    for (const auto &v : values) {
        const size_t slot = slotOf(v.series);
        if (slot >= m_tailValues.size())
            m_tailValues.resize(slot + 1);
        m_tailValues[slot] = {v.value, v.sizeBytes};
    }
}

// The series' slot in the window's tables: empty tables start at the first series asked for (the read whole makes
// the targets in id order, lowest first); a series below the lowest so far moves the tables up to make room.
size_t HistoryWindow::slotOf(uint32_t series)
{
    if (m_targets.empty() && m_tailValues.empty())
        m_firstSeries = series;
    if (series < m_firstSeries) {
        const size_t below = m_firstSeries - series;
        m_targets.insert(m_targets.begin(), below, Target{});
        m_targetMade.insert(m_targetMade.begin(), below, false);
        m_tailValues.insert(m_tailValues.begin(), m_tailValues.empty() ? 0 : below, TailValue{});
        m_firstSeries = series;
    }
    return series - m_firstSeries;
}

const HistoryWindow::Target &HistoryWindow::targetOf(uint32_t series, SampleStore &store, int64_t cluster)
{
    const size_t slot = slotOf(series);
    if (slot >= m_targets.size()) {
        m_targets.resize(slot + 1);
        m_targetMade.resize(slot + 1);
    }
    if (m_targetMade[slot])
        return m_targets[slot];
    const SeriesName *name = m_names.find(series);
    if (!name) { // a series added since: the names are read again
        m_names = store.seriesNames(cluster);
        name = m_names.find(series);
    }
    m_targetMade[slot] = true;
    Target &t = m_targets[slot];
    if (name)
        t = targetFor(*name, m_shape, m_place.starts, m_history);
    return t;
}

// The groups kept whole changed from `before` to the shape's (another chart): the groups that left it are cut down to
// what the shape keeps of every group, the ones that joined it are read whole on their own (every frame of the window
// is decoded, but only their points kept: a fraction of the memory and time of reading the window whole). Their series'
// targets are made again for the new shape.
void HistoryWindow::rechart(SampleStore &store, int64_t cluster, int64_t toMs, const std::set<std::string> &before)
{
    const std::set<std::string> left = difference(before, m_shape.allOf);
    const std::set<std::string> joined = difference(m_shape.allOf, before);
    for (const auto &group : left)
        if (auto g = m_history.groups.find(group); g != m_history.groups.end())
            for (auto &[tp, points] : g->second)
                reshape(points, m_shape.groups, m_shape.last);
    if (!joined.empty()) {
        HistoryShape only;
        only.partitions = only.groups = Keep::None;
        only.allOf = joined;
        SampleStore::History whole = store.history(m_place.clusterId, toMs - m_place.spanMs, toMs, only, m_names);
        for (const auto &group : joined) {
            auto &series = m_history.groups[group]; // assigned series by series: targets point into these vectors
            for (auto &[tp, points] : series)
                points.clear();
            for (auto &[tp, points] : whole.groups[group])
                series[tp] = std::move(points);
        }
    } else {
        m_names = store.seriesNames(cluster);
    }
    std::vector<uint32_t> remake;
    m_names.forEach([&](uint32_t series, const SeriesName &name) {
        if (const std::string &group = std::get<0>(name); left.count(group) || joined.count(group))
            remake.push_back(series);
    });
    for (uint32_t series : remake) {
        if (const size_t slot = slotOf(series); slot < m_targetMade.size()) {
            m_targetMade[slot] = false;
            m_targets[slot] = Target{}; // made afresh: a series no longer kept points nowhere
        }
        targetOf(series, store, cluster);
    }
    m_names.clear();
}

// False when it had to read the window whole after all (see moveStart).
bool HistoryWindow::follow(SampleStore &store, int64_t cluster, int64_t toMs)
{
    const int64_t fromMs = toMs - m_place.spanMs;
    store.framesAfter(cluster, m_headAt, toMs, m_head, [&](int64_t at, const std::vector<SeriesValue> &values) {
        for (const auto &v : values)
            keepValue(targetOf(v.series, store, cluster), at, v, m_shape);
        m_headAt = at;
    });
    m_names.clear(); // read again for a series added since: not held between samples
    if (moveStart(store, cluster, fromMs))
        return true;
    readWhole(store, cluster, toMs);
    return false;
}

// False when some series' first point in the window cannot be told without reading it whole.
bool HistoryWindow::moveStart(SampleStore &store, int64_t cluster, int64_t fromMs)
{
    if (needsTail()) {
        const int64_t t0 = store.firstFrameAt(cluster, 0, fromMs);
        if (t0 >= 0 && t0 != m_tailAt && t0 <= m_headAt) {
            // The frames up to the window's new first one, continuing the tail's chain; only the last one is kept.
            store.framesAfter(cluster, m_tailAt, t0, m_tail, [&](int64_t at, const std::vector<SeriesValue> &values) {
                if (at == t0)
                    keepTail(values);
            });
            m_tailAt = t0;
        }
    }
    bool exact = true;
    for (size_t slot = 0; slot < m_targets.size(); ++slot) {
        const Target &t = m_targets[slot];
        if (t.ends)
            exact = trim(*t.ends, t, slot, fromMs) && exact;
        else if (t.commits)
            exact = trim(*t.commits, t, slot, fromMs) && exact;
    }
    return exact;
}

// Drops what fell out of the window. A collapsed run going on at the window's start, and a rate's first point, begin
// at the window's first frame (the tail), as a whole read has them. False when the series has no value in that frame
// (its watermarks unknown then, its group's offsets not read) but points after it: where it starts again is unknown.
template <typename Point>
bool HistoryWindow::trim(std::vector<Point> &points, const Target &t, size_t slot, int64_t fromMs)
{
    if (points.empty() || points.front().timeMs >= fromMs)
        return true;
    std::optional<Point> tail;
    if (m_tailAt >= fromMs && m_tailAt >= t.since && slot < m_tailValues.size() && m_tailValues[slot].value >= 0) {
        const TailValue &v = m_tailValues[slot];
        if constexpr (std::is_same_v<Point, SizedPoint>)
            tail = SizedPoint{m_tailAt, v.value, v.size};
        else
            tail = CommitPoint{m_tailAt, v.value, -1};
    }
    if (t.keep == Keep::Endpoints) {
        if (points.back().timeMs < fromMs) {
            points.clear(); // nothing of it in the window
            return true;
        }
        if (!tail)
            return false;
        points.front() = *tail;
        if (points.back().timeMs == tail->timeMs)
            points.pop_back();
        return true;
    }
    points.erase(points.begin(), std::lower_bound(points.begin(), points.end(), fromMs,
                                                  [](const Point &p, int64_t at) { return p.timeMs < at; }));
    if (t.keep != Keep::All || !m_shape.collapseRuns || !std::is_same_v<Point, SizedPoint>)
        return true; // every point of the window was kept (runs collapse in end offsets only): a whole read's
    if (!tail)
        return points.empty() || points.front().timeMs == m_tailAt;
    if (points.empty() || points.front().timeMs > tail->timeMs)
        points.insert(points.begin(), *tail);
    return true;
}

} // namespace kp
