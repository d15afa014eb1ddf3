#pragma once
// Light samples into the lag history: a collection with watermarks, sizes and committed offsets (no configs), recorded
// and downsampled (1 min after a day, 10 min after a week, gone after 90 days). The window's session and `watch` both
// sample through it; the store is opened at the first sample and again after one failed.

#include "kafka/snapshotcollector.h"
#include "store/database.h"
#include "store/samplestore.h"

#include <QString>
#include <atomic>
#include <memory>
#include <optional>

namespace kp {

class Sampler
{
public:
    explicit Sampler(QString dbPath) : m_dbPath(std::move(dbPath)) {}

    // What a light sample collects: no configs (they change rarely and cost the most).
    static CollectOptions lightOptions(int timeoutMs);
    // Collects a light sample with a client of its own (librdkafka 2.0.2 crashed in a handle that lived across samples
    // while a broker stopped and came back; see freshClient). Throws Cancelled when `cancel` is set, CollectError
    // when the cluster cannot be read.
    static ClusterSnapshot collect(const ConnectionProfile &profile, const std::atomic<bool> *cancel);
    // The same with the caller's client, which the caller lets go once the sample is recorded: librdkafka's
    // rd_kafka_destroy waits up to a second for its broker threads (one sample in five at 50,000 partitions).
    static ClusterSnapshot collect(KafkaClient &client, int timeoutMs, const std::atomic<bool> *cancel);

    // Opens the store now (the command line refuses a store it cannot open before the first sample).
    void open();

    struct Recorded
    {
        size_t frameBytes = 0;
        SampleStore::CompactResult compacted;
    };
    // Records `sample` and downsamples its cluster's history; a sample that read nothing (no cluster id) is not
    // stored. Throws what the store throws (StoreError), and opens it again next time.
    std::optional<Recorded> record(const ClusterSnapshot &sample);
    // The two halves of record(), for the window's session, which shows the sample between them: downsampling a
    // week's store at 50,000 partitions takes 70-160 ms once a minute, which the sample's pages need not wait for.
    std::optional<size_t> recordFrame(const ClusterSnapshot &sample); // the frame's bytes; nothing when not stored
    SampleStore::CompactResult compact(const ClusterSnapshot &sample);

private:
    template <typename F> auto openedFor(F &&use) -> decltype(use()); // `use` on the store, which a failure closes
    QString m_dbPath;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SampleStore> m_store;
};

} // namespace kp
