#include "store/endswindow.h"

#include "store/database.h"

namespace kp {

const SampleStore::WindowEnds &EndsWindow::update(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                                  int64_t spanMs)
{
    Database db(dbPath);
    SampleStore store(db);
    const int64_t cluster = store.clusterKeyOf(clusterId);
    if (cluster < 0) { // nothing recorded of it: no ends, and the next read whole
        m_ends = {};
        m_place = WindowPlace{};
        return m_ends;
    }
    m_lastWhole = true;
    const bool follows = m_place.moveTo(store, dbPath, clusterId, cluster, toMs, spanMs, m_headAt) && m_tailAt >= 0;
    if (!follows)
        readWhole(store, cluster, toMs);
    m_lastWhole = !follows || !follow(store, cluster, toMs); // follow() reads whole itself where it cannot follow
    m_place.valid = true;
    return m_ends;
}

void EndsWindow::readWhole(SampleStore &store, int64_t cluster, int64_t toMs)
{
    const int64_t fromMs = toMs - m_place.spanMs;
    m_ends = {}; // the old tables go first: not held beside the new ones
    m_head = m_tail = SampleDecoder();
    m_headAt = m_tailAt = -1;
    m_place.starts = store.incarnationStarts(cluster, toMs);
    if (!store.inTierZero(cluster, fromMs)) { // read as the store reads it, and whole again next time (no tail)
        m_ends = store.windowEnds(m_place.clusterId, fromMs, toMs);
        return;
    }
    m_ends.start(store.seriesNames(cluster), m_place.starts);
    const int64_t first = store.firstFrameAt(cluster, 0, fromMs);
    if (first < 0 || first > toMs)
        return; // no frame in the window: nothing to follow from
    auto keep = [this](int64_t at, const std::vector<SeriesValue> &values) {
        m_ends.keep(at, values);
        m_headAt = at;
    };
    store.frameAt(cluster, first, m_head, keep);
    m_tail = m_head;
    m_tailAt = first;
    store.framesAfter(cluster, m_headAt, toMs, m_head, keep);
}

// False when it had to read the window whole after all: a series it has no name for (added since), or whose first
// point cannot be told (see moveStart).
bool EndsWindow::follow(SampleStore &store, int64_t cluster, int64_t toMs)
{
    bool named = true;
    store.framesAfter(cluster, m_headAt, toMs, m_head, [&](int64_t at, const std::vector<SeriesValue> &values) {
        named = m_ends.keep(at, values) && named;
        m_headAt = at;
    });
    if (named && moveStart(store, cluster, toMs - m_place.spanMs))
        return true;
    readWhole(store, cluster, toMs);
    return false;
}

// Moves the window's start to `fromMs`: a series whose first point fell out starts at the window's new first frame,
// as a whole read has it (a series with a drop since has its first point there already); one whose points all fell
// out has none. False when a series has no value in that frame but points after it: where it starts is unknown.
bool EndsWindow::moveStart(SampleStore &store, int64_t cluster, int64_t fromMs)
{
    const int64_t first = store.firstFrameAt(cluster, 0, fromMs);
    if (first < 0 || first > m_headAt)
        return false;
    auto &ends = m_ends;
    if (first != m_tailAt) {
        store.framesAfter(cluster, m_tailAt, first, m_tail, [&](int64_t at, const std::vector<SeriesValue> &values) {
            if (at != first)
                return; // decoded only to continue the chain
            for (const auto &v : values) {
                const SeriesName *name = ends.names.find(v.series);
                if (!name || v.value < 0)
                    continue;
                const size_t slot = ends.names.slot(v.series);
                SizedPoint &f = ends.first[slot];
                if (f.endOffset < 0 || f.timeMs >= fromMs || (!ends.since.empty() && at < ends.since[slot]))
                    continue;
                f = SizedPoint{at, v.value, std::get<0>(*name).empty() ? v.sizeBytes : -1};
            }
        });
        m_tailAt = first;
    }
    for (size_t slot = 0; slot < ends.first.size(); ++slot) {
        SizedPoint &f = ends.first[slot], &l = ends.last[slot];
        if (f.endOffset < 0 || f.timeMs >= fromMs)
            continue;
        if (l.timeMs >= fromMs)
            return false;
        f = l = SizedPoint{};
    }
    return true;
}

} // namespace kp
