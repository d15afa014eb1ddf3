#pragma once

#include "models/freedmemory.h"
#include "store/historypoints.h"
#include "store/samplestore.h"

#include <QString>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace kp {

// The process's one turn for heavy history work (a whole read of a window of history, or the build of a page from it):
// hold it while reading or building, on a worker thread.
std::mutex &heavyHistoryTurn();

// Runs `work` in the history turn with a window's own lock (`windowMutex`), then gives the memory it freed back to the
// system: how a window is read and used.
template <typename Work> void inHistoryTurn(std::mutex &windowMutex, Work &&work)
{
    {
        std::scoped_lock lock(heavyHistoryTurn(), windowMutex);
        work();
    }
    giveBackFreedMemory();
}

// Where a window that follows the newest samples stands (HistoryWindow, EndsWindow): its file, cluster and span, the
// incarnations of its topics, and whether its last read went through.
struct WindowPlace
{
    QString db;
    std::string clusterId;
    int64_t spanMs = -1;
    int64_t cluster = -1;
    bool valid = false;
    std::map<std::string, int64_t> starts; // SampleStore::incarnationStarts, set by the window's whole read
    // Whether a read of `spanMs` up to `toMs` can follow from here (the same file, cluster and span, no earlier than
    // the window's newest frame at `headAt`, all in tier 0, no topic recreated since); takes the read's place, not
    // valid until the window says so (a failure leaves nothing half-followed).
    bool moveTo(SampleStore &store, const QString &dbPath, const std::string &id, int64_t key, int64_t toMs,
                int64_t span, int64_t headAt);
};

// A window of the lag history that follows the newest samples, for a view that reads the same window at every sample
// (the Lag and Traffic pages): the first read (or one whose file, cluster, shape or span changed, that reaches into the
// downsampled tiers, or after a topic was recreated) reads the window whole; later ones decode only the samples
// recorded since and the one where the window now starts, and trim what fell out of it. Another chart (the shape's
// groups kept whole) reads only the groups that joined it whole. The result is what
// SampleStore::history would give for the same window (tests/unit/tst_historywindow compares them): where following
// cannot tell (a series missing from the window's first sample, whose first point is then unknown), it reads whole.
// One read at a time; call it from a worker thread.
//
// Every window of the process takes its turn (heavyHistoryTurn): on a large cluster a whole read, or a page's build
// from its window, holds hundreds of megabytes for a moment, and the Lag and Traffic pages both read theirs after each
// sample; in turn, their peaks do not add up.
class HistoryWindow
{
public:
    // The history of `spanMs` up to `toMs`, a copy. Throws StoreError.
    SampleStore::History read(const QString &dbPath, const std::string &clusterId, int64_t toMs, int64_t spanMs,
                              const HistoryShape &shape);
    // The same without the copy (on a large cluster the window holds tens of megabytes): `use` is called with the
    // window itself, under its lock, and must not keep a reference to it. Series whose points all fell out of the
    // window are there, empty. Throws StoreError, or what `use` throws.
    template <typename Use>
    void use(const QString &dbPath, const std::string &clusterId, int64_t toMs, int64_t spanMs,
             const HistoryShape &shape, Use &&use)
    {
        inHistoryTurn(m_mutex, [&] { use(update(dbPath, clusterId, toMs, spanMs, shape)); });
    }
    // Whether the window's last read was of `spanMs` of `clusterId` in `dbPath`: a read of the same would follow it
    // (unless a topic was recreated or the window reached into the downsampled tiers since) rather than read the span
    // whole, which takes seconds for a week of a large cluster. Never waits: a page asks it on the GUI thread, while
    // the window's opening read may be running.
    bool opened(const QString &dbPath, const std::string &clusterId, int64_t spanMs) const;
    // How the last read was made, for tests and benchmarks: whole, or following.
    bool lastReadWasWhole() const { return m_lastWhole; }
    // The series the window has room for (its cluster's, from its lowest id to its highest), for tests.
    size_t seriesSlots() const { return m_targets.size(); }

private:
    using Target = historypoints::Target;
    struct TailValue
    {
        int64_t value = -1; // -1: not in the window's first sample
        int64_t size = -1;
    };
    const SampleStore::History &update(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                       int64_t spanMs, const HistoryShape &shape);
    void readWhole(SampleStore &store, int64_t cluster, int64_t toMs);
    static void fitCapacities(SampleStore::History &history);
    bool follow(SampleStore &store, int64_t cluster, int64_t toMs);
    void rechart(SampleStore &store, int64_t cluster, int64_t toMs, const std::set<std::string> &before);
    size_t slotOf(uint32_t series);
    const Target &targetOf(uint32_t series, SampleStore &store, int64_t cluster);
    bool moveStart(SampleStore &store, int64_t cluster, int64_t fromMs);
    template <typename Point> bool trim(std::vector<Point> &points, const Target &t, size_t slot, int64_t fromMs);
    bool needsTail() const;

    std::mutex m_mutex;
    WindowPlace m_place;
    struct LastRead
    {
        QString db;
        std::string clusterId;
        int64_t spanMs = -1;
    };
    mutable std::mutex m_lastReadMutex; // not m_mutex, which a read holds for seconds
    LastRead m_lastRead;                // what the last read that went through was of
    HistoryShape m_shape;
    bool m_lastWhole = true;
    // By series slot: its id less the cluster's lowest (the store's row ids, dense for one cluster; a store of several
    // clusters numbers the others' series below it). The names are dropped once every target is made; a series added
    // later has them read again.
    SeriesNames m_names;
    uint32_t m_firstSeries = 0;
    std::vector<Target> m_targets;
    std::vector<bool> m_targetMade;
    SampleStore::History m_history;
    SampleDecoder m_head, m_tail;
    int64_t m_headAt = -1, m_tailAt = -1;
    std::vector<TailValue> m_tailValues; // every series' value in the frame at m_tailAt, by series slot
    void keepTail(const std::vector<SeriesValue> &values);
};

} // namespace kp
