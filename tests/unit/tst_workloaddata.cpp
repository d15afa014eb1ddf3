// The Planner's workload "from the open cluster": write rates from the sampled end offsets, in bytes through each
// partition's bytes per offset on its local disk, so that a tiered partition (most of its offsets only in the remote
// tier) counts its records at their size, not its local bytes spread over every offset it ever had.

#include "analysis/workloaddata.h"

#include <QTest>

using namespace kp;

namespace {

// Topic "events", one partition led by broker 1: offsets 0 to 1,000, the local log from `localStart` on, 100 bytes
// per record on disk; history: 100 records in 10 s, then 300 in the next 10 s.
ClusterSnapshot tieredCluster(int64_t localStart, SampleStore::History &history)
{
    ClusterSnapshot s;
    s.clusterId = "c";
    s.brokers.push_back({});
    s.brokers[0].id = 1;
    TopicInfo t;
    t.name = "events";
    PartitionInfo p;
    p.partition = 0;
    p.leader = 1;
    p.replicas = {1};
    p.isr = {1};
    p.lowWatermark = 0;
    p.highWatermark = 1000;
    p.localLogStartOffset = localStart;
    p.replicaSizes.push_back({1, "/data", (1000 - localStart) * 100, 0, false});
    t.partitions.push_back(p);
    t.configs["remote.storage.enable"] = "true";
    s.topics.push_back(t);
    history.partitions[{"events", 0}] = {{0, 600, -1}, {10000, 700, -1}, {20000, 1000, -1}};
    return s;
}

} // namespace

class TestWorkloadData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // 300 records of 100 bytes in 10 s: 3,000 B/s at the peak, however much of the log is remote.
    void peakWriteCountsRecordsAtTheirSize()
    {
        for (const int64_t localStart : {0, 800}) {
            SampleStore::History history;
            const ClusterSnapshot s = tieredCluster(localStart, history);
            const Workload w = workloadFrom(s, history);
            QCOMPARE(w.peakWriteMBps, 3000 / 1e6);
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkloadData)
#include "tst_workloaddata.moc"
