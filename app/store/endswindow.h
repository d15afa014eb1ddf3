#pragma once

#include "models/freedmemory.h"
#include "models/samplecodec.h"
#include "store/historywindow.h"
#include "store/samplestore.h"

#include <QString>
#include <mutex>
#include <string>

namespace kp {

class Database;

// Each series' first and last point over a window that follows the newest samples (SampleStore::windowEnds, for the
// Traffic page's rates at every sample): the first read (or one whose file, cluster or span changed, that reaches
// into the downsampled tiers, after a topic was recreated or a series added) reads the window whole; later ones
// decode only the samples recorded since (the last points) and the one where the window now starts (the first
// points of the series whose first fell out). The result is what windowEnds gives for the same window
// (tests/unit/tst_historywindow compares them); where following cannot tell (a series missing from the window's first
// sample but in a later one), it reads whole. On 50,000 partitions and 200,000 group series a whole read of 15 minutes
// decoded 90 samples (~400 ms, holding the history turn the Lag page's build waits for); following decodes two. It
// holds the names, the two tables and two decoders' states (~26 MB there): drop it when its view is hidden.
// One read at a time; call it from a worker thread.
class EndsWindow
{
public:
    // Calls `use` with the ends of `spanMs` up to `toMs` (empty when the store has no such cluster), under the
    // process's history turn; `use` must not keep a reference to them. Throws StoreError, or what `use` throws.
    template <typename Use>
    void use(const QString &dbPath, const std::string &clusterId, int64_t toMs, int64_t spanMs, Use &&use)
    {
        inHistoryTurn(m_mutex, [&] { use(update(dbPath, clusterId, toMs, spanMs)); });
    }
    // How the last read was made, for tests and benchmarks: whole, or following.
    bool lastReadWasWhole() const { return m_lastWhole; }

private:
    const SampleStore::WindowEnds &update(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                          int64_t spanMs);
    void readWhole(SampleStore &store, int64_t cluster, int64_t toMs);
    bool follow(SampleStore &store, int64_t cluster, int64_t toMs);
    bool moveStart(SampleStore &store, int64_t cluster, int64_t fromMs);

    std::mutex m_mutex;
    WindowPlace m_place;
    bool m_lastWhole = true;
    SampleStore::WindowEnds m_ends;
    // The chain at the newest frame read, and at the window's first frame (-1: the window has none).
    SampleDecoder m_head, m_tail;
    int64_t m_headAt = -1, m_tailAt = -1;
};

} // namespace kp
