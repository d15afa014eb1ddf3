#include "services/sampler.h"

#include "kafka/kafkaclient.h"

namespace kp {

CollectOptions Sampler::lightOptions(int timeoutMs)
{
    CollectOptions options;
    options.timeoutMs = timeoutMs;
    options.includeConfigs = false;
    return options;
}

ClusterSnapshot Sampler::collect(const ConnectionProfile &profile, const std::atomic<bool> *cancel)
{
    KafkaClient client(profile, "app-sampler");
    return SnapshotCollector(client, lightOptions(profile.timeoutMs)).collect(cancel);
}

void Sampler::open()
{
    if (m_store)
        return;
    m_db = std::make_unique<Database>(m_dbPath);
    m_store = std::make_unique<SampleStore>(*m_db);
}

std::optional<Sampler::Recorded> Sampler::record(const ClusterSnapshot &sample)
{
    if (sample.clusterId.empty())
        return std::nullopt; // nothing was read
    try {
        open();
        Recorded r;
        r.frameBytes = m_store->record(sample);
        r.compacted = m_store->compact(sample.clusterId, sample.takenAtMs);
        return r;
    } catch (...) {
        m_store.reset();
        m_db.reset();
        throw;
    }
}

} // namespace kp
