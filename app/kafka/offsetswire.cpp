#include "kafka/offsetswire.h"

#include "kafka/wire/brokerconnection.h"

#include <algorithm>

namespace kp {

ListOffsetsAnswer listOffsetsAt(const ConnectionProfile &profile, const BrokerAddress &broker,
                                const std::vector<wire::ListOffsetsPartitionRequest> &partitions, int64_t timestamp,
                                int16_t minVersion, size_t batch, int timeoutMs, const std::atomic<bool> *cancel)
{
    ListOffsetsAnswer out;
    const std::string name = brokerName(broker);
    try {
        wire::BrokerConnection conn(profile, broker.host, broker.port, timeoutMs, cancel);
        conn.open();
        const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kListOffsets, minVersion, 9);
        if (version < 0) {
            out.unsupported = true;
            out.error = name + " offers no ListOffsets version " + std::to_string(minVersion) + " to 9";
            return out;
        }
        std::vector<std::string> bodies;
        const size_t step = std::max<size_t>(1, batch);
        for (size_t i = 0; i < partitions.size(); i += step) {
            const std::vector<wire::ListOffsetsPartitionRequest> slice(
                partitions.begin() + std::ptrdiff_t(i),
                partitions.begin() + std::ptrdiff_t(std::min(partitions.size(), i + step)));
            bodies.push_back(wire::encodeListOffsetsRequest(version, slice, timestamp));
        }
        for (const std::string &body : conn.callAll(wire::kListOffsets, version, bodies)) {
            auto answered = wire::decodeListOffsetsResponse(version, body);
            out.partitions.insert(out.partitions.end(), std::make_move_iterator(answered.begin()),
                                  std::make_move_iterator(answered.end()));
        }
    } catch (const wire::WireTimeout &e) {
        out.silent = true;
        out.partitions.clear();
        out.error = "ListOffsets on " + name + " failed: " + e.what();
    } catch (const std::exception &e) {
        out.partitions.clear();
        out.error = "ListOffsets on " + name + " failed: " + e.what();
    }
    return out;
}

} // namespace kp
