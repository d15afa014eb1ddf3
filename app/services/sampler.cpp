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
    return collect(client, profile.timeoutMs, cancel);
}

ClusterSnapshot Sampler::collect(KafkaClient &client, int timeoutMs, const std::atomic<bool> *cancel)
{
    return SnapshotCollector(client, lightOptions(timeoutMs)).collect(cancel);
}

void Sampler::open()
{
    if (m_store)
        return;
    m_db = std::make_unique<Database>(m_dbPath);
    m_store = std::make_unique<SampleStore>(*m_db);
}

template <typename F> auto Sampler::openedFor(F &&use) -> decltype(use())
{
    try {
        open();
        return use();
    } catch (...) { // opened again next time
        m_store.reset();
        m_db.reset();
        throw;
    }
}

std::optional<Sampler::Recorded> Sampler::record(const ClusterSnapshot &sample)
{
    const auto frameBytes = recordFrame(sample);
    if (!frameBytes)
        return std::nullopt;
    return Recorded{*frameBytes, compact(sample)};
}

std::optional<size_t> Sampler::recordFrame(const ClusterSnapshot &sample)
{
    if (sample.clusterId.empty())
        return std::nullopt; // nothing was read
    return openedFor([&] { return m_store->record(sample); });
}

SampleStore::CompactResult Sampler::compact(const ClusterSnapshot &sample)
{
    if (sample.clusterId.empty())
        return {};
    return openedFor([&] { return m_store->compact(sample.clusterId, sample.takenAtMs); });
}

} // namespace kp
