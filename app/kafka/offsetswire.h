#pragma once

#include "kafka/brokeraddress.h"
#include "kafka/wire/messages.h"
#include "models/connectionprofile.h"

#include <atomic>
#include <string>
#include <vector>

// ListOffsets for one timestamp on many partitions of one leader, over the app's own wire client: requests of `batch`
// partitions, every one sent on a single connection before the first answer is read (a broker answers a connection's
// requests in order), so that the round trips overlap. Used for the watermarks (-2 and -1, a connection each) and
// for tiered topics' local log starts (-4).
namespace kp {

struct ListOffsetsAnswer
{
    std::vector<wire::ListOffsetsPartitionResponse> partitions; // per partition, its offset or error code
    std::string error;        // the request as a whole failed (nothing in `partitions`), naming the broker
    bool unsupported = false; // the broker speaks no ListOffsets version from `minVersion` to 9
    bool silent = false;      // it accepted the connection but did not answer within the timeout
};

ListOffsetsAnswer listOffsetsAt(const ConnectionProfile &profile, const BrokerAddress &broker,
                                const std::vector<wire::ListOffsetsPartitionRequest> &partitions, int64_t timestamp,
                                int16_t minVersion, size_t batch, int timeoutMs, const std::atomic<bool> *cancel);

} // namespace kp
