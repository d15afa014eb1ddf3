// Stall probe (issue 17): how long the window's event loop is kept from running while the app connects to a live
// cluster, shows it, refreshes, records a sample every interval and switches through every page. A timer on the GUI
// thread asks to fire every 5 ms; every time it fires later than that, the delay is a stall a person would feel as a
// frozen window (16 ms: one frame missed; 50 ms: a visible pause). A benchmark, not a test: it prints, it asserts
// nothing. tests/bench/stall-bench.sh runs it on the seeded 50,000-partition cluster with a store of its own.
//
//   bench_stalls --bootstrap HOSTS [--seconds 120] [--page-seconds 4] [--refresh-seconds 30]
//                [--history-from SNAPSHOT.json --history-minutes M [--active-percent 20] [--record-only]] [--idle]
//
// --idle: no page changes and no refreshes; the Lag page stays shown while the window samples (what the window costs
// when nobody touches it: the CPU each second between samples).
//
// --history-from: before the window opens, M minutes (up to a week) of samples of that snapshot (the cluster's, taken
// just before) are recorded into the store the window uses, the newest a sample ago: every 10 s in the last day, once
// a minute before it (then compacted into tier 1, as the store keeps older samples). On `--active-percent` of the
// partitions the end offset and every committed offset moves 50 every 10 s, the rest stay. A store that already holds
// samples of the cluster is topped up from its newest on. Synthetic: it costs what history costs the window, its
// verdicts mean nothing (the cluster's own offsets are lower than the history's last). --record-only: the history is
// recorded (or topped up) and the bench ends without opening the window.

#include "models/freedmemory.h"
#include "models/snapshotjson.h"
#include "services/clustercontext.h"
#include "store/database.h"
#include "store/samplestore.h"
#include "ui/lagmodels.h"
#include "ui/lagpage.h"
#include "ui/mainwindow.h"
#include "ui/trafficpage.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

constexpr qint64 kTickMs = 5;
constexpr int kLagTab = 2;
double g_cpuBeforeWindow = 0; // CPU seconds spent recording history, before the window opened

struct Stall
{
    qint64 atMs;   // since the start
    qint64 lateMs; // beyond the 5 ms asked for
    QString after; // what the bench did last, and when
    // Of the time since the tick before: what the GUI thread spent on a CPU and waiting for one (runnable, others
    // running: two cores shared with the brokers and the app's workers); the rest it slept (a lock, the disk).
    double cpuMs = -1, waitMs = -1;
};

// The calling thread's time on a CPU and waiting in a run queue, in ms (/proc/thread-self/schedstat; -1 without it).
class ThreadSchedule
{
public:
    ThreadSchedule() : m_fd(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) {}
    ~ThreadSchedule()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ThreadSchedule(const ThreadSchedule &) = delete;
    ThreadSchedule &operator=(const ThreadSchedule &) = delete;
    std::pair<double, double> read() const
    {
        char text[96] = {};
        unsigned long long onCpu = 0, waiting = 0;
        if (m_fd < 0 || ::pread(m_fd, text, sizeof text - 1, 0) <= 0 ||
            std::sscanf(text, "%llu %llu", &onCpu, &waiting) != 2)
            return {-1, -1};
        return {double(onCpu) / 1e6, double(waiting) / 1e6};
    }

private:
    int m_fd;
};

// What held the GUI thread: each event delivered there that took over 16 ms (the outermost delivery only: a paint
// inside a slot counts as the slot), with whom it went to, to name the work behind a stall.
struct SlowEvent
{
    qint64 endMs = 0, tookMs = 0;
    QString what;
};

class TimedApplication : public QApplication
{
public:
    TimedApplication(int &argc, char **argv) : QApplication(argc, argv) {}
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || !m_clock.isValid() || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        // Named before (the receiver may be gone after: a single-shot timer, deleteLater), with its parent: the
        // names are copied (shared), the text made only for a slow one.
        const QObject *parent = receiver->parent();
        const QMetaObject *cls = receiver->metaObject(), *parentCls = parent ? parent->metaObject() : nullptr;
        const QString name = receiver->objectName(), parentName = parent ? parent->objectName() : QString();
        const int type = int(event->type());
        ++m_depth;
        const qint64 start = m_clock.elapsed();
        const bool done = QApplication::notify(receiver, event);
        --m_depth;
        if (const qint64 took = m_clock.elapsed() - start; took > 16) {
            QString what = QStringLiteral("%1 \"%2\"").arg(QLatin1String(cls->className()), name);
            if (parentCls)
                what += QStringLiteral(" in %1 \"%2\"").arg(QLatin1String(parentCls->className()), parentName);
            m_slow.push_back({m_clock.elapsed(), took, what + QStringLiteral(" (event %1)").arg(type)});
        }
        return done;
    }
    const std::vector<SlowEvent> &slow() const { return m_slow; }
    // The clock the probe reads too, so that both name the same moments; started again when the window opens.
    const QElapsedTimer &startClock()
    {
        m_clock.start();
        return m_clock;
    }

private:
    QElapsedTimer m_clock;
    int m_depth = 0;
    std::vector<SlowEvent> m_slow;
};

// Records how late a 5 ms timer on the GUI thread fires.
class StallProbe : public QObject
{
public:
    explicit StallProbe(const QElapsedTimer &clock) : m_clock(clock)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(int(kTickMs));
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
        m_last.store(m_clock.elapsed());
        m_timer.start();
    }
    qint64 lastTickMs() const { return m_last.load(); }
    void note(const QString &event) { m_event = event, m_eventAt = m_clock.elapsed(); }
    const std::vector<Stall> &stalls() const { return m_stalls; }
    const std::vector<qint64> &lateness() const { return m_late; }
    const std::vector<qint64> &rssMb() const { return m_rss; }
    const std::vector<double> &cpuPercent() const { return m_cpu; }
    struct RssPeak
    {
        qint64 atMs = 0, mb = 0;
        QString after; // what the bench did last, and when
    };
    const RssPeak &rssPeak() const { return m_rssPeak; }

private:
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        const qint64 late = std::max<qint64>(0, now - m_last.load() - kTickMs);
        m_last.store(now);
        m_late.push_back(late);
        const auto [cpuMs, waitMs] = m_schedule.read();
        if (late > 16)
            m_stalls.push_back({now, late, QStringLiteral("%1 (%2 ms before)").arg(m_event).arg(now - late - m_eventAt),
                                cpuMs < 0 ? -1 : cpuMs - m_scheduled.first,
                                waitMs < 0 ? -1 : waitMs - m_scheduled.second});
        m_scheduled = {cpuMs, waitMs};
        if (late > 50)
            askForStacks(now, late);
        if (now - m_rssAt >= 100)
            measure(now);
    }
    // Every 100 ms the resident memory, with what the bench did last before its highest; every second the CPU used.
    void measure(qint64 now);
    void askForStacks(qint64 now, qint64 late);

    const bool m_trace = qEnvironmentVariableIntValue("KP_STALL_TRACE") == 1;
    const ThreadSchedule m_schedule; // opened on the GUI thread, which the probe's ticks run on
    std::pair<double, double> m_scheduled = m_schedule.read(); // at the tick before: on a CPU, waiting for one (ms)
    qint64 m_stacksAskedAt = -10000;                           // the last perf dump asked for (askForStacks)
    qint64 m_rssAt = 0, m_cpuAt = -1;
    double m_cpuSeconds = 0;
    std::vector<qint64> m_rss;
    std::vector<double> m_cpu;
    RssPeak m_rssPeak;

    const QElapsedTimer &m_clock;
    QTimer m_timer;
    std::atomic<qint64> m_last{0}; // read by the stall watcher's thread too
    std::vector<qint64> m_late;
    std::vector<Stall> m_stalls;
    QString m_event = QStringLiteral("start");
    qint64 m_eventAt = 0;
};

// With KP_STALL_PERF_PIDFILE (stall-bench.sh --perf): the stall that just ended is in the ring buffer of a `perf record
// --overwrite --switch-output=signal` on the GUI thread, whose pid the file holds; SIGUSR2 has it written out. One
// dump every 2 s at most (writing one takes a while); each named on stderr, in order, for stall-stacks.py to match.
void StallProbe::askForStacks(qint64 now, qint64 late)
{
    static const QByteArray pidFile = qgetenv("KP_STALL_PERF_PIDFILE");
    if (pidFile.isEmpty() || now - m_stacksAskedAt < 2000)
        return;
    long pid = 0;
    if (FILE *f = std::fopen(pidFile.constData(), "r")) {
        if (std::fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        std::fclose(f);
    }
    if (pid <= 0 || kill(pid_t(pid), SIGUSR2) != 0)
        return;
    m_stacksAskedAt = now;
    std::fprintf(stderr, "perf dump: stall %lld ms at %.1f s after %s\n", (long long)late, double(now) / 1000.0,
                 qPrintable(m_event));
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void StallProbe::measure(qint64 now)
{
    m_rssAt = now;
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    const qint64 mb = qint64(resident) * sysconf(_SC_PAGESIZE) / (1024 * 1024);
    m_rss.push_back(mb);
    if (m_trace) // KP_STALL_TRACE=1: the resident memory every 100 ms, with the bench's last step (stderr)
        std::fprintf(stderr, "rss %7.1f s %5lld MB  %s\n", double(now) / 1000.0, (long long)mb, qPrintable(m_event));
    if (mb > m_rssPeak.mb)
        m_rssPeak = {now, mb, QStringLiteral("%1 (%2 ms before)").arg(m_event).arg(now - m_eventAt)};
    if (m_cpuAt < 0 || now - m_cpuAt >= 1000) {
        const double cpu = cpuSeconds();
        if (m_cpuAt >= 0)
            m_cpu.push_back(100.0 * (cpu - m_cpuSeconds) * 1000.0 / double(now - m_cpuAt));
        m_cpuAt = now, m_cpuSeconds = cpu;
    }
}

template <typename T> T percentile(std::vector<T> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

// The process's peak resident memory (VmHWM) in MB, and its CPU time (user + system) in seconds.
std::pair<long, double> memoryAndCpu()
{
    long peakKb = -1;
    if (FILE *f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::sscanf(line, "VmHWM: %ld kB", &peakKb) == 1)
                break;
        std::fclose(f);
    }
    return {peakKb / 1024, cpuSeconds()};
}

struct SampleLatency
{
    std::vector<qint64> stored, shown;                // ms from the start of a sample's collection
    std::vector<qint64> collected;                    // how long the collection itself took
    QString slowest;                                  // the steps of the slowest collection
    std::map<std::string, std::vector<qint64>> steps; // each step's time in every collection
    QString pendingSteps;                             // the pending sample's steps (for the trace)
    qint64 pendingAt = 0;                             // the last sample stored, not yet shown on the Lag page
    // KP_SAMPLE_TRACE=1: one line per sample on stderr, where its time went (the pending sample's collection and when
    // its merge into the shown snapshot came in, ms from the start of its collection).
    const bool trace = qEnvironmentVariableIntValue("KP_SAMPLE_TRACE") == 1;
    qint64 pendingCollected = 0, merged = -1, mergedTakenAt = -1; // the last merge, and the sample it was of
    // The Traffic page's figures from a sample recorded while it is shown (the page computes only then).
    std::vector<qint64> trafficShown;
    qint64 trafficPendingAt = 0;
    // The Lag page's rows built without the history while its window's opening read runs, and when the first rows
    // with it came (ms from the clock's start).
    int withoutHistory = 0;
    qint64 firstWithHistoryMs = -1;
};

void printReport(const StallProbe &probe, const TimedApplication &app, qint64 firstViewMs, int samples, int refreshes,
                 double seconds, const SampleLatency &latency)
{
    std::printf("allocator: %s\n", kp::allocatorName().c_str());
    // The Lag page's first rows wait for its opening read of the window (a week's store: seconds), said apart.
    const std::vector<qint64> shownAfter(latency.shown.begin() + std::min<size_t>(1, latency.shown.size()),
                                         latency.shown.end());
    std::printf("a sample end to end: stored after p50 %lld ms, max %lld ms (%zu); the Lag page's rows from it after "
                "p50 %lld ms, max %lld ms (%zu; the first, with the page's opening read, %lld ms)\n",
                (long long)percentile(latency.stored, 0.5), (long long)percentile(latency.stored, 1.0),
                latency.stored.size(), (long long)percentile(shownAfter, 0.5), (long long)percentile(shownAfter, 1.0),
                shownAfter.size(), (long long)(latency.shown.empty() ? -1 : latency.shown.front()));
    std::printf("  the Lag page's rows without the history (its window's opening read under way): %d; the first rows "
                "with it after %lld ms\n",
                latency.withoutHistory, (long long)latency.firstWithHistoryMs);
    std::printf("  the Traffic page's figures from it, while shown: p50 %lld ms, max %lld ms (%zu)\n",
                (long long)percentile(latency.trafficShown, 0.5), (long long)percentile(latency.trafficShown, 1.0),
                latency.trafficShown.size());
    std::printf("  its collection: p50 %lld ms, max %lld ms (%s)\n", (long long)percentile(latency.collected, 0.5),
                (long long)percentile(latency.collected, 1.0), qPrintable(latency.slowest));
    std::printf("  its steps, p50 / p90:");
    for (const auto &[step, millis] : latency.steps)
        std::printf(" %s %lld / %lld ms;", step.c_str(), (long long)percentile(millis, 0.5),
                    (long long)percentile(millis, 0.9));
    std::printf("\n");
    auto [peakMb, cpu] = memoryAndCpu();
    cpu -= g_cpuBeforeWindow;
    std::printf("peak RSS %ld MB, CPU %.1f s over %.0f s (%.0f%% of one core, everything included)\n", peakMb, cpu,
                seconds, 100.0 * cpu / seconds);
    std::printf("resident every 100 ms: p50 %lld MB, max %lld MB at %.1f s, after %s\n",
                (long long)percentile(probe.rssMb(), 0.5), (long long)probe.rssPeak().mb,
                double(probe.rssPeak().atMs) / 1000.0, qPrintable(probe.rssPeak().after));
    std::printf("CPU each second: p50 %.0f%%, p90 %.0f%%, max %.0f%% of one core\n",
                percentile(probe.cpuPercent(), 0.5), percentile(probe.cpuPercent(), 0.9),
                percentile(probe.cpuPercent(), 1.0));
    const auto &late = probe.lateness();
    std::printf("ticks %zu (every %lld ms asked), first view after %lld ms, %d samples recorded, %d refreshes\n",
                late.size(), (long long)kTickMs, (long long)firstViewMs, samples, refreshes);
    std::printf("lateness: p50 %lld ms, p99 %lld ms, p99.9 %lld ms, max %lld ms; stalls over 16 ms: %zu, over 50 ms: "
                "%lld\n",
                (long long)percentile(late, 0.5), (long long)percentile(late, 0.99), (long long)percentile(late, 0.999),
                (long long)percentile(late, 1.0), probe.stalls().size(),
                (long long)std::count_if(late.begin(), late.end(), [](qint64 l) { return l > 50; }));
    std::vector<Stall> worst = probe.stalls();
    std::sort(worst.begin(), worst.end(), [](const Stall &a, const Stall &b) { return a.lateMs > b.lateMs; });
    worst.resize(std::min<size_t>(worst.size(), 12));
    for (const auto &s : worst) {
        std::printf("  %6lld ms at %7.1f s, after %s\n", (long long)s.lateMs, double(s.atMs) / 1000.0,
                    qPrintable(s.after));
        if (s.cpuMs >= 0)
            std::printf("           on a CPU %.0f ms, waiting for one %.0f ms, asleep %.0f ms\n", s.cpuMs, s.waitMs,
                        std::max(0.0, double(s.lateMs + kTickMs) - s.cpuMs - s.waitMs));
        for (const SlowEvent &e : app.slow()) // the slow deliveries that overlap the stall
            if (e.endMs > s.atMs - s.lateMs - kTickMs && e.endMs - e.tookMs < s.atMs)
                std::printf("           held %lld ms by %s\n", (long long)e.tookMs, qPrintable(e.what));
    }
}

// With KP_STALL_GDB=1: the first time the GUI thread misses its ticks for a second, gdb prints its stack (stderr), to
// show where it is held.
void watchForLongStalls(const StallProbe &probe, const QElapsedTimer &clock, std::atomic<bool> &stop)
{
    bool printed = false;
    while (!stop.load() && !printed) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (clock.elapsed() - probe.lastTickMs() < 1000)
            continue;
        const std::string command =
            "gdb -p " + std::to_string(getpid()) + " -batch -ex 'thread apply 1 bt 40' >&2 2>/dev/null";
        std::fprintf(stderr, "bench_stalls: the GUI thread has been held for %lld ms; its stack:\n",
                     (long long)(clock.elapsed() - probe.lastTickMs()));
        if (std::system(command.c_str()) != 0)
            std::fprintf(stderr, "bench_stalls: gdb failed\n");
        printed = true;
    }
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

// On the Lag page, as a person would within the seconds it is shown: a filter typed a letter at a time, then
// cleared; the groups sorted by name, then by lag again.
void workTheLagPage(kp::LagPage &lag, StallProbe &probe, int pageSeconds)
{
    auto *filter = lag.findChild<QLineEdit *>(QStringLiteral("lagGroupFilter"));
    auto *groups = lag.findChild<QTableView *>(QStringLiteral("lagGroups"));
    if (!filter || !groups)
        return;
    const int step = pageSeconds * 1000 / 8;
    const QString typed = QStringLiteral("group-00");
    for (int i = 1; i <= 3; ++i)
        QTimer::singleShot(step * i, &lag, [filter, &probe, text = typed.left(i + 5)] {
            probe.note(QStringLiteral("Lag page: filter typed"));
            filter->setText(text);
        });
    QTimer::singleShot(step * 4, &lag, [filter, &probe] {
        probe.note(QStringLiteral("Lag page: filter cleared"));
        filter->clear();
    });
    QTimer::singleShot(step * 5, &lag, [groups, &probe] {
        probe.note(QStringLiteral("Lag page: sorted by name"));
        groups->sortByColumn(kp::LagGroupsModel::Group, Qt::AscendingOrder);
    });
    QTimer::singleShot(step * 6, &lag, [groups, &probe] {
        probe.note(QStringLiteral("Lag page: sorted by lag"));
        groups->sortByColumn(kp::LagGroupsModel::TotalLag, Qt::DescendingOrder);
    });
}

// M minutes of samples of `file`'s snapshot into the window's store (see the top of the file). Returns false, saying
// why, when the snapshot or the store cannot be used.
// The synthetic history's offsets are a function of time, so that a store kept between runs (stall-bench.sh
// --history-store) is topped up where it ended: an active partition's end offset is its snapshot's plus 50 for each
// 10 seconds since 2026-01-01, its groups' committed offsets 10 below.
constexpr int64_t kOriginMs = 1767225600000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

struct Moving
{
    std::vector<std::pair<kp::PartitionInfo *, int64_t>> partitions; // with the snapshot's end offset
    std::vector<std::pair<kp::GroupOffset *, const kp::PartitionInfo *>> commits;
};

Moving movingParts(kp::ClusterSnapshot &s, int activePercent)
{
    Moving m;
    std::map<std::pair<std::string, int32_t>, kp::PartitionInfo *> active;
    size_t index = 0;
    for (auto &t : s.topics)
        for (auto &p : t.partitions)
            if (int((index++ * 7919) % 100) < activePercent) {
                m.partitions.emplace_back(&p, std::max<int64_t>(p.highWatermark, 0));
                active[{t.name, p.partition}] = &p;
            }
    for (auto &g : s.groups)
        for (auto &o : g.offsets)
            if (auto a = active.find({o.topic.str(), o.partition}); a != active.end())
                m.commits.emplace_back(&o, a->second);
    return m;
}

// The times of the samples to record: up to `minutes` before now, after what the store holds already; every 10 s in
// the last day, once a minute before (what the store's tier 1 keeps of older samples).
std::vector<int64_t> sampleTimes(int64_t now, int minutes, int64_t storedUpTo)
{
    std::vector<int64_t> times;
    const int64_t from = std::max(now - int64_t(minutes) * 60000, storedUpTo + 1);
    for (int64_t t = from + (10000 - from % 10000) % 10000; t < now; t += 10000)
        if (now - t <= kDayMs || t % 60000 == 0)
            times.push_back(t);
    return times;
}

bool recordHistory(const QString &file, int minutes, int activePercent)
{
    try {
        kp::ClusterSnapshot s = kp::loadSnapshotFile(file.toStdString());
        QDir().mkpath(QFileInfo(kp::Database::defaultPath()).path());
        kp::Database db(kp::Database::defaultPath());
        kp::SampleStore store(db);
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        const int64_t cluster = store.clusterKeyOf(s.clusterId);
        const int64_t storedUpTo = cluster < 0 ? -1 : store.lastFrameAt(cluster, now);
        const std::vector<int64_t> times = sampleTimes(now, minutes, storedUpTo);
        QElapsedTimer clock;
        clock.start();
        const Moving moving = movingParts(s, activePercent);
        for (int64_t t : times) {
            s.takenAtMs = t;
            const int64_t moved = 50 * ((t - kOriginMs) / 10000);
            for (auto [p, base] : moving.partitions)
                p->highWatermark = base + moved;
            for (auto [o, p] : moving.commits)
                o->committed = p->highWatermark - 10, o->highWatermark = p->highWatermark, o->lag = 10;
            store.record(s);
        }
        const auto compacted = store.compact(s.clusterId, now);
        std::printf("history: %zu samples (%d min, %s) of %zu partitions, %zu moving, recorded in %.1f s "
                    "(%lld frames downsampled)\n",
                    times.size(), minutes, storedUpTo < 0 ? "a new store" : "topped up", size_t(s.partitionCount()),
                    moving.partitions.size(), double(clock.elapsed()) / 1000.0, qlonglong(compacted.downsampled));
        return true;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_stalls: the history could not be recorded: %s\n", e.what());
        return false;
    }
}

} // namespace

int main(int argc, char **argv)
{
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, 2); // as the app's main does (glibc's malloc only: the bench links the app's allocator)
#endif
    TimedApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kafka-planner"));
    QApplication::setOrganizationName(QStringLiteral("kafka-planner"));
    const QStringList args = QApplication::arguments();
    const bool idle = args.contains(QStringLiteral("--idle"));
    const bool recordOnly = args.contains(QStringLiteral("--record-only"));
    const QString bootstrap = option(args, QStringLiteral("--bootstrap"), {});
    bool ok1 = false, ok2 = false, ok3 = false;
    const int seconds = option(args, QStringLiteral("--seconds"), QStringLiteral("120")).toInt(&ok1);
    const int pageSeconds = option(args, QStringLiteral("--page-seconds"), QStringLiteral("4")).toInt(&ok2);
    const int refreshSeconds = option(args, QStringLiteral("--refresh-seconds"), QStringLiteral("30")).toInt(&ok3);
    const QString historyFrom = option(args, QStringLiteral("--history-from"), {});
    bool ok4 = false, ok5 = false;
    const int historyMinutes = option(args, QStringLiteral("--history-minutes"), QStringLiteral("0")).toInt(&ok4);
    const int activePercent = option(args, QStringLiteral("--active-percent"), QStringLiteral("20")).toInt(&ok5);
    if (bootstrap.isEmpty() || !ok1 || !ok2 || !ok3 || seconds < 1 || pageSeconds < 1 || refreshSeconds < 1 || !ok4 ||
        !ok5 || historyMinutes < 0 || historyMinutes > 10080 || activePercent < 0 || activePercent > 100 ||
        historyFrom.isEmpty() != (historyMinutes == 0) || (recordOnly && historyFrom.isEmpty())) {
        std::fprintf(stderr,
                     "usage: bench_stalls --bootstrap HOSTS [--seconds 120] [--page-seconds 4] "
                     "[--refresh-seconds 30] (whole seconds, at least 1) [--history-from SNAPSHOT.json "
                     "--history-minutes M (1 to 10080, a week) [--active-percent 0-100] [--record-only]] [--idle]\n");
        return 2;
    }
    if (!historyFrom.isEmpty()) {
        if (!recordHistory(historyFrom, historyMinutes, activePercent))
            return 1;
        if (recordOnly)
            return 0;
        // The window's figures, not the recording's: what the recording freed goes back to the system (glibc kept
        // about 190 MB of it), the peak RSS starts again (clear_refs 5) and its CPU is set aside.
        kp::giveBackFreedMemory();
        if (FILE *f = std::fopen("/proc/self/clear_refs", "w")) {
            std::fputs("5", f);
            std::fclose(f);
        }
        g_cpuBeforeWindow = memoryAndCpu().second;
    }
    const QElapsedTimer &clock = app.startClock();
    const qint64 clockStartMs = QDateTime::currentMSecsSinceEpoch(); // the traces' times are from here
    StallProbe probe(clock);
    std::atomic<bool> stopWatching{false};
    std::thread watcher;
    if (qEnvironmentVariableIntValue("KP_STALL_GDB") == 1)
        watcher = std::thread(watchForLongStalls, std::cref(probe), std::cref(clock), std::ref(stopWatching));
    kp::MainWindow window;
    window.resize(1400, 900);
    window.show();
    qint64 firstViewMs = -1;
    int samples = 0, refreshes = 0, page = 0;
    QObject::connect(&window, &kp::MainWindow::snapshotShown, &app, [&] {
        if (firstViewMs < 0)
            firstViewMs = clock.elapsed();
        probe.note(QStringLiteral("a snapshot shown"));
    });
    // A sample end to end (issue 17 target 4): from when its collection began to its frame stored, and to the Lag
    // page showing the rows built from it.
    SampleLatency latency;
    QObject::connect(&window, &kp::MainWindow::sampleRecorded, &app, [&](qint64 takenAtMs) {
        ++samples;
        probe.note(QStringLiteral("a sample recorded"));
        latency.stored.push_back(QDateTime::currentMSecsSinceEpoch() - takenAtMs);
        if (latency.trace && latency.pendingAt > 0)
            std::fprintf(stderr, "sample %.1f s: not shown on the Lag page before the next\n",
                         double(latency.pendingAt - clockStartMs) / 1000.0);
        latency.pendingAt = takenAtMs;
        latency.trafficPendingAt = window.trafficPage()->isVisible() ? takenAtMs : 0;
    });
    QObject::connect(window.trafficPage(), &kp::TrafficPage::trafficShown, &app, [&] {
        if (latency.trafficPendingAt <= 0)
            return;
        latency.trafficShown.push_back(QDateTime::currentMSecsSinceEpoch() - latency.trafficPendingAt);
        if (latency.trace)
            std::fprintf(stderr, "sample %.1f s: Traffic figures %lld ms\n",
                         double(latency.trafficPendingAt - clockStartMs) / 1000.0,
                         (long long)latency.trafficShown.back());
        latency.trafficPendingAt = 0;
    });
    QObject::connect(window.context(), &kp::ClusterContext::sampleMerged, &app, [&](kp::SnapshotPtr s) {
        latency.merged = QDateTime::currentMSecsSinceEpoch() - s->takenAtMs;
        latency.mergedTakenAt = s->takenAtMs;
    });
    QObject::connect(window.context(), &kp::ClusterContext::sampleTaken, &app, [&](kp::SnapshotPtr sample) {
        latency.pendingSteps.clear();
        for (const auto &t : sample->timings) {
            latency.pendingSteps += QStringLiteral("%1%2 %3 ms")
                                        .arg(latency.pendingSteps.isEmpty() ? QString() : QStringLiteral(", "),
                                             QString::fromStdString(t.step))
                                        .arg(t.millis);
            latency.steps[t.step].push_back(t.millis);
        }
        if (latency.collected.empty() ||
            sample->durationMs > *std::max_element(latency.collected.begin(), latency.collected.end()))
            latency.slowest = latency.pendingSteps;
        latency.collected.push_back(sample->durationMs);
        latency.pendingCollected = sample->durationMs;
    });
    QObject::connect(window.lagPage(), &kp::LagPage::dataShown, &app, [&] {
        if (window.lagPage()->historyPending())
            ++latency.withoutHistory;
        else if (latency.firstWithHistoryMs < 0)
            latency.firstWithHistoryMs = clock.elapsed();
        if (latency.pendingAt <= 0)
            return;
        const qint64 shown = QDateTime::currentMSecsSinceEpoch() - latency.pendingAt;
        latency.shown.push_back(shown);
        if (latency.trace)
            std::fprintf(
                stderr,
                "sample %.1f s: collected in %lld ms, stored %lld ms, merged %lld ms, Lag rows %lld ms%s (%s)\n",
                double(latency.pendingAt - clockStartMs) / 1000.0, (long long)latency.pendingCollected,
                (long long)latency.stored.back(),
                (long long)(latency.mergedTakenAt == latency.pendingAt ? latency.merged : -1), (long long)shown,
                window.lagPage()->historyPending() ? " without the history" : "", qPrintable(latency.pendingSteps));
        latency.pendingAt = 0;
    });
    QObject::connect(&window, &kp::MainWindow::errorShown, &app, [&](const QString &m) {
        std::fprintf(stderr, "bench_stalls: the window says: %s\n", qPrintable(m));
    });
    QTimer pages;
    QObject::connect(&pages, &QTimer::timeout, &app, [&] {
        page = (page + 1) % kp::MainWindow::kPageCount;
        probe.note(QStringLiteral("page %1 shown").arg(page + 1));
        window.showTab(page);
        if (window.lagPage()->isVisible())
            workTheLagPage(*window.lagPage(), probe, pageSeconds);
    });
    QTimer refresh;
    QObject::connect(&refresh, &QTimer::timeout, &app, [&] {
        ++refreshes;
        probe.note(QStringLiteral("refresh"));
        window.refresh();
    });
    QTimer::singleShot(0, &app, [&] {
        probe.note(QStringLiteral("connect"));
        window.openInitial({QStringLiteral("--bootstrap"), bootstrap});
        if (idle) {
            window.showTab(kLagTab);
            return;
        }
        pages.start(pageSeconds * 1000);
        refresh.start(refreshSeconds * 1000);
    });
    QTimer::singleShot(seconds * 1000, &app, [&] {
        printReport(probe, app, firstViewMs, samples, refreshes, double(clock.elapsed()) / 1000.0, latency);
        app.quit();
    });
    const int status = app.exec();
    stopWatching = true;
    if (watcher.joinable())
        watcher.join();
    return status;
}
