// The wire-protocol module without a network: exact bytes, RFC 7677's SCRAM example, and strict decoding of
// malformed or truncated responses.

#include "kafka/clusterwire.h"
#include "kafka/wire/groupmessages.h"
#include "kafka/wire/messages.h"
#include "kafka/wire/metadatamessages.h"
#include "kafka/wire/oauthbearer.h"
#include "kafka/wire/scram.h"
#include "kafka/wire/wirebuffer.h"

#include <QTest>

using namespace kp::wire;

namespace {

// A DescribeLogDirs response as a broker would send it, for `version`.
std::string logDirsResponse(int16_t version)
{
    Writer w;
    const bool flexible = version >= 2;
    w.int32(7); // throttle
    if (version >= 3)
        w.int16(0);
    auto str = [&](const std::string &s) { flexible ? w.compactString(s) : w.string(s); };
    auto arr = [&](int32_t n) { flexible ? w.compactArrayLength(n) : w.arrayLength(n); };
    arr(2);
    // dir 1: two topics
    w.int16(0);
    str("/data/a");
    arr(2);
    str("orders");
    arr(2);
    for (int p = 0; p < 2; ++p) {
        w.int32(p);
        w.int64(1000 + p);
        w.int64(p);
        w.boolean(false);
        if (flexible)
            w.emptyTaggedFields();
    }
    if (flexible)
        w.emptyTaggedFields();
    str("events");
    arr(1);
    w.int32(5);
    w.int64(5000000000LL);
    w.int64(0);
    w.boolean(true);
    if (flexible)
        w.emptyTaggedFields();
    if (flexible)
        w.emptyTaggedFields();
    if (version >= 4) {
        w.int64(100000000000LL);
        w.int64(40000000000LL);
    }
    if (flexible)
        w.emptyTaggedFields();
    // dir 2: offline, no topics
    w.int16(56);
    str("/data/b");
    arr(0);
    if (version >= 4) {
        w.int64(-1);
        w.int64(-1);
    }
    if (flexible)
        w.emptyTaggedFields();
    if (flexible)
        w.emptyTaggedFields();
    return w.take();
}

} // namespace

class TestWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void varints_data()
    {
        QTest::addColumn<uint>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("0") << 0u << QByteArray("\x00", 1);
        QTest::addRow("127") << 127u << QByteArray("\x7f");
        QTest::addRow("128") << 128u << QByteArray("\x80\x01");
        QTest::addRow("300") << 300u << QByteArray("\xac\x02");
        QTest::addRow("max") << 0xffffffffu << QByteArray("\xff\xff\xff\xff\x0f");
    }

    void varints()
    {
        QFETCH(uint, value);
        QFETCH(QByteArray, bytes);
        Writer w;
        w.uvarint(value);
        QCOMPARE(QByteArray::fromStdString(w.data()), bytes);
        const std::string data = bytes.toStdString();
        Reader r(data);
        QCOMPARE(r.uvarint(), value);
        r.expectEnd();
    }

    void malformedVarint()
    {
        const std::string data("\xff\xff\xff\xff\x7f", 5);
        Reader r(data);
        QVERIFY_THROWS_EXCEPTION(ProtocolError, r.uvarint());
    }

    void requestHeaders()
    {
        // ApiVersions v0: key 18, version 0, correlation 1, client id "ab"; no tagged fields.
        QCOMPARE(QByteArray::fromStdString(encodeRequestHeader(kApiVersions, 0, 1, "ab")),
                 QByteArray("\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02"
                            "ab",
                            12));
        // DescribeLogDirs v4 is flexible: header v2 ends with an empty tagged-field section.
        QCOMPARE(QByteArray::fromStdString(encodeRequestHeader(kDescribeLogDirs, 4, 258, "x")),
                 QByteArray("\x00\x23\x00\x04\x00\x00\x01\x02\x00\x01x\x00", 12));
        QCOMPARE(QByteArray::fromStdString(encodeDescribeLogDirsRequest(4)), QByteArray("\x00\x00", 2));
        QCOMPARE(QByteArray::fromStdString(encodeDescribeLogDirsRequest(1)), QByteArray("\xff\xff\xff\xff"));
        QCOMPARE(QByteArray::fromStdString(encodeSaslAuthenticateRequest(1, "hi")),
                 QByteArray("\x00\x00\x00\x02hi", 6));
        QCOMPARE(QByteArray::fromStdString(encodeSaslAuthenticateRequest(2, "hi")), QByteArray("\x03hi\x00", 4));
    }

    void versionPick()
    {
        const std::map<int16_t, VersionRange> broker{{kDescribeLogDirs, {1, 4}}, {kSaslAuthenticate, {0, 2}}};
        QCOMPARE(pickVersion(broker, kDescribeLogDirs, 1, 4), int16_t(4));
        QCOMPARE(pickVersion(broker, kDescribeLogDirs, 1, 3), int16_t(3));
        QCOMPARE(pickVersion(broker, kSaslHandshake, 1, 1), int16_t(-1));
        QCOMPARE(pickVersion({{kDescribeLogDirs, {2, 4}}}, kDescribeLogDirs, 0, 1), int16_t(-1));
    }

    void describeLogDirs_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v <= 4; ++v)
            QTest::addRow("v%d", v) << v;
    }

    void describeLogDirs()
    {
        QFETCH(int, version);
        const auto r = decodeDescribeLogDirsResponse(int16_t(version), logDirsResponse(int16_t(version)));
        QCOMPARE(r.throttleTimeMs, 7);
        QCOMPARE(r.results.size(), size_t(2));
        const auto &a = r.results[0];
        QCOMPARE(a.path, std::string("/data/a"));
        QCOMPARE(a.partitions.size(), size_t(3));
        QCOMPARE(a.partitions[1].topic, std::string("orders"));
        QCOMPARE(a.partitions[1].partition, 1);
        QCOMPARE(a.partitions[1].sizeBytes, int64_t(1001));
        QCOMPARE(a.partitions[1].offsetLag, int64_t(1));
        QCOMPARE(a.partitions[2].topic, std::string("events"));
        QCOMPARE(a.partitions[2].sizeBytes, int64_t(5000000000LL));
        QVERIFY(a.partitions[2].isFuture);
        QCOMPARE(a.totalBytes, version >= 4 ? int64_t(100000000000LL) : int64_t(-1));
        QCOMPARE(r.results[1].errorCode, int16_t(56));
        QCOMPARE(errorName(r.results[1].errorCode), std::string("KAFKA_STORAGE_ERROR"));
    }

    void everyTruncationIsAnError_data() { describeLogDirs_data(); }

    void everyTruncationIsAnError()
    {
        QFETCH(int, version);
        const std::string full = logDirsResponse(int16_t(version));
        for (size_t n = 0; n < full.size(); ++n) {
            // A copy of exactly n bytes: an over-read would be caught by ASan in the asan preset.
            const std::string cut = full.substr(0, n);
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeLogDirsResponse(int16_t(version), cut));
        }
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeLogDirsResponse(int16_t(version), full + "x"));
    }

    void absurdCountsAreRefused()
    {
        Writer w;
        w.int32(0);
        w.arrayLength(0x7fffffff); // two billion log dirs in four bytes
        try {
            decodeDescribeLogDirsResponse(1, w.data());
            QFAIL("must throw");
        } catch (const ProtocolError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("array length 2147483647 at offset 4 does not fit the 0 byte(s) left"));
        }
    }

    // Two magic-2 batches (3 and 1 offsets) and the first `tail` bytes of a third (10 offsets, 500 bytes of records),
    // as a fetch cut at its limit ends.
    static std::string batches(size_t tail = 20)
    {
        std::string out;
        auto batch = [&](int64_t base, int32_t lastOffsetDelta, size_t payload) {
            Writer w;
            w.int64(base);
            w.int32(int32_t(4 + 1 + 4 + 2 + 4 + payload));
            w.int32(0); // leader epoch
            w.int8(2);  // magic
            w.int32(0); // crc
            w.int16(0); // attributes
            w.int32(lastOffsetDelta);
            out += w.data() + std::string(payload, 'r');
        };
        batch(100, 2, 200);
        batch(103, 0, 50);
        const size_t before = out.size();
        batch(104, 9, 500);
        out.resize(before + tail);
        return out;
    }

    void recordBatchesAreMeasuredNotDecoded()
    {
        const BatchStats st = summarizeRecordBatches(batches());
        QCOMPARE(st.batches, int64_t(2));
        QCOMPARE(st.offsets, int64_t(4));
        QCOMPARE(st.bytes, int64_t((12 + 15 + 200) + (12 + 15 + 50)));
        QCOMPARE(summarizeRecordBatches({}).bytes, int64_t(0));
        // A partial batch whose header (27 bytes) arrived is measured by it.
        const BatchStats withTail = summarizeRecordBatches(batches(30));
        QCOMPARE(withTail.batches, int64_t(3));
        QCOMPARE(withTail.offsets, int64_t(14));
        QCOMPARE(withTail.bytes, st.bytes + 12 + 15 + 500);
        // A batch with an unknown magic, or a negative delta, is an error, not a guess.
        std::string bad = batches();
        bad[16] = 7;
        QVERIFY_THROWS_EXCEPTION(ProtocolError, summarizeRecordBatches(bad));
    }

    void fetchResponse()
    {
        const std::string records = batches();
        Writer w;
        w.int32(0); // throttle
        w.arrayLength(1);
        w.string("orders");
        w.arrayLength(2);
        w.int32(3);
        w.int16(0);
        w.int64(104);
        w.int64(104);
        w.arrayLength(-1); // no aborted transactions
        w.bytes(records);
        w.int32(4);
        w.int16(29); // TOPIC_AUTHORIZATION_FAILED
        w.int64(-1);
        w.int64(-1);
        w.arrayLength(-1);
        w.int32(-1); // null records
        const FetchResponse r = decodeFetchResponse(w.data());
        QCOMPARE(r.partitions.size(), size_t(2));
        QCOMPARE(r.partitions[0].topic, std::string("orders"));
        QCOMPARE(r.partitions[0].highWatermark, int64_t(104));
        QVERIFY(r.partitions[0].records == records);
        QCOMPARE(r.partitions[1].errorCode, int16_t(29));
        QVERIFY(r.partitions[1].records.empty());
        for (size_t n = 0; n < w.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeFetchResponse(w.data().substr(0, n)));
        // The request groups partitions by topic: one topic entry with both partitions.
        const std::string req = encodeFetchRequest({{"orders", 3, 100, 65536}, {"orders", 4, 0, 65536}}, 0, 1 << 20);
        Reader rr(req);
        QCOMPARE(rr.int32(), -1);
        rr.int32();
        rr.int32();
        QCOMPARE(rr.int32(), 1 << 20);
        QCOMPARE(rr.int8(), int8_t(0));
        QCOMPARE(rr.arrayLength(1), 1);
        QCOMPARE(rr.string(), std::string("orders"));
        QCOMPARE(rr.arrayLength(1), 2);
    }

    // OffsetFetch v5 and FindCoordinator v2, as a coordinator answers them: committed offsets (-1: none), a
    // partition's own error, the group's error; every truncation refused.
    void offsetFetchAndFindCoordinator()
    {
        Writer w;
        w.int32(0); // throttle
        w.arrayLength(1);
        w.string("orders");
        w.arrayLength(2);
        w.int32(0);
        w.int64(50);
        w.int32(-1);  // leader epoch
        w.string(""); // metadata
        w.int16(0);
        w.int32(1);
        w.int64(-1); // nothing committed
        w.int32(-1);
        w.int16(-1); // null metadata
        w.int16(0);
        w.int16(0); // group error
        const OffsetFetchResponse r = decodeOffsetFetchResponse(w.data());
        QCOMPARE(r.partitions.size(), size_t(2));
        QCOMPARE(r.partitions[0].topic, std::string("orders"));
        QCOMPARE(r.partitions[0].committed, int64_t(50));
        QCOMPARE(r.partitions[1].committed, int64_t(-1));
        QCOMPARE(r.errorCode, int16_t(0));
        for (size_t n = 0; n < w.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeOffsetFetchResponse(w.data().substr(0, n)));
        std::string negative = w.data();
        const std::string first("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x32", 12); // partition 0, offset 50
        const size_t at = negative.find(first);
        QVERIFY(at != std::string::npos);
        negative.replace(at, 4, std::string("\xff\xff\xff\xfe", 4));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeOffsetFetchResponse(negative));
        // The group moved: NOT_COORDINATOR, no topics.
        Writer moved;
        moved.int32(0);
        moved.arrayLength(0);
        moved.int16(16);
        QCOMPARE(decodeOffsetFetchResponse(moved.data()).errorCode, int16_t(16));
        QCOMPARE(errorName(16), std::string("NOT_COORDINATOR"));
        // The request: the group, then a null topic array (every topic).
        const std::string offsetFetch = encodeOffsetFetchRequest("kp-lagging");
        Reader req(offsetFetch);
        QCOMPARE(req.string(), std::string("kp-lagging"));
        QCOMPARE(req.int32(), -1);
        req.expectEnd();
        Writer fc;
        fc.int32(0);
        fc.int16(0);
        fc.int16(-1); // null message
        fc.int32(2);
        fc.string("127.0.0.1");
        fc.int32(19092);
        const FindCoordinatorResponse c = decodeFindCoordinatorResponse(fc.data());
        QCOMPARE(c.nodeId, 2);
        QCOMPARE(c.host, std::string("127.0.0.1"));
        QCOMPARE(c.port, 19092);
        for (size_t n = 0; n < fc.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeFindCoordinatorResponse(fc.data().substr(0, n)));
        const std::string findCoordinator = encodeFindCoordinatorRequest("g");
        Reader fr(findCoordinator);
        QCOMPARE(fr.string(), std::string("g"));
        QCOMPARE(fr.int8(), int8_t(0)); // key type: group
    }

    void listOffsetsEarliestLocal()
    {
        // The request: consumer, read uncommitted, one topic with two partitions at timestamp -4.
        const std::string req = encodeListOffsetsRequest(9, {{"tiered", 0}, {"tiered", 1}}, kEarliestLocalTimestamp);
        Reader q(req);
        QCOMPARE(q.int32(), -1);
        QCOMPARE(q.int8(), int8_t(0));
        QCOMPARE(q.compactArrayLength(1), 1);
        QCOMPARE(q.compactString(), std::string("tiered"));
        QCOMPARE(q.compactArrayLength(1), 2);
        QCOMPARE(q.int32(), 0);
        QCOMPARE(q.int32(), -1);
        QCOMPARE(q.int64(), int64_t(-4));
        q.skipTaggedFields();
        QCOMPARE(q.int32(), 1);
        Writer w;
        w.int32(0);
        w.compactArrayLength(1);
        w.compactString("tiered");
        w.compactArrayLength(2);
        w.int32(0);
        w.int16(0);
        w.int64(-1);   // timestamp
        w.int64(4096); // the first local offset
        w.int32(3);
        w.emptyTaggedFields();
        w.int32(1);
        w.int16(6); // NOT_LEADER_OR_FOLLOWER
        w.int64(-1);
        w.int64(-1);
        w.int32(-1);
        w.emptyTaggedFields();
        w.emptyTaggedFields();
        w.emptyTaggedFields();
        const auto r = decodeListOffsetsResponse(9, w.data());
        QCOMPARE(r.size(), size_t(2));
        QCOMPARE(r[0].offset, int64_t(4096));
        QCOMPARE(r[1].errorCode, int16_t(6));
        for (size_t n = 0; n < w.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeListOffsetsResponse(9, w.data().substr(0, n)));
        // v6 to v9 share one layout (the watermarks ask v6 and up); v5 and v10 are not spoken.
        QCOMPARE(decodeListOffsetsResponse(6, w.data()).size(), size_t(2));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeListOffsetsResponse(5, w.data()));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeListOffsetsResponse(10, w.data()));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, encodeListOffsetsRequest(5, {{"t", 0}}, kEarliestTimestamp));
        QCOMPARE(encodeListOffsetsRequest(6, {{"t", 0}}, kLatestTimestamp),
                 encodeListOffsetsRequest(9, {{"t", 0}}, kLatestTimestamp));
    }

    void listGroupsNamesEachGroupsType()
    {
        Writer w;
        w.int32(0); // throttle
        w.int16(0);
        w.compactArrayLength(3);
        auto group = [&w](const char *id, const char *protocol, const char *state, const char *type) {
            w.compactString(id);
            w.compactString(protocol);
            w.compactString(state);
            w.compactString(type);
            w.emptyTaggedFields();
        };
        group("kp-lagging", "consumer", "Empty", "classic");
        group("kp848-live", "consumer", "Stable", "consumer");
        group("kp-share", "share", "Empty", "share");
        w.emptyTaggedFields();
        const ListGroupsResponse r = decodeListGroupsResponse(5, w.data());
        QCOMPARE(r.groups.size(), size_t(3));
        QCOMPARE(r.groups[1].groupId, std::string("kp848-live"));
        QCOMPARE(r.groups[1].state, std::string("Stable"));
        QCOMPARE(r.groups[1].type, std::string("consumer"));
        QCOMPARE(r.groups[2].type, std::string("share"));
        QCOMPARE(r.groups[2].protocolType, std::string("share"));
        for (size_t n = 0; n < w.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeListGroupsResponse(5, w.data().substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeListGroupsResponse(2, w.data()));
        // The v5 request: no states filter, no types filter, no tagged fields.
        QCOMPARE(encodeListGroupsRequest(5), std::string("\x01\x01\x00", 3));
        QCOMPARE(encodeListGroupsRequest(3), std::string("\x00", 1));
    }

    // One KIP-848 group, one member with two partitions of "orders" assigned and a third one coming (its target).
    static std::string consumerGroupDescribeResponse(int16_t version)
    {
        Writer w;
        w.int32(0); // throttle
        w.compactArrayLength(1);
        w.int16(0);
        w.compactNullableString(std::nullopt);
        w.compactString("kp848-live");
        w.compactString("Stable");
        w.int32(7); // group epoch
        w.int32(7); // assignment epoch
        w.compactString("uniform");
        w.compactArrayLength(1);
        w.compactString("Zv1sL3lFQ2yw0Y1Qm9W0tA");
        w.compactNullableString(std::nullopt);
        w.compactNullableString(std::string("az-b"));
        w.int32(7); // member epoch
        w.compactString("kp848-live-client");
        w.compactString("/127.0.0.1");
        w.compactArrayLength(1);
        w.compactString("orders");
        w.compactNullableString(std::nullopt);
        auto assignment = [&w](std::vector<int32_t> partitions) {
            w.compactArrayLength(1);
            for (int i = 0; i < 16; ++i)
                w.int8(int8_t(i)); // topic id
            w.compactString("orders");
            w.compactArrayLength(int32_t(partitions.size()));
            for (int32_t p : partitions)
                w.int32(p);
            w.emptyTaggedFields();
            w.emptyTaggedFields();
        };
        assignment({0, 1});
        assignment({0, 1, 2});
        if (version >= 1)
            w.int8(1); // a consumer-protocol member
        w.emptyTaggedFields();
        w.int32(std::numeric_limits<int32_t>::min()); // authorized operations: not asked
        w.emptyTaggedFields();
        w.emptyTaggedFields();
        return w.take();
    }

    void consumerGroupDescribe_data()
    {
        QTest::addColumn<int>("version");
        QTest::addRow("v0") << 0;
        QTest::addRow("v1") << 1;
    }

    void consumerGroupDescribe()
    {
        QFETCH(int, version);
        const std::string body = consumerGroupDescribeResponse(int16_t(version));
        const auto groups = decodeConsumerGroupDescribeResponse(int16_t(version), body);
        QCOMPARE(groups.size(), size_t(1));
        const ConsumerGroupDescription &g = groups[0];
        QCOMPARE(g.groupId, std::string("kp848-live"));
        QCOMPARE(g.state, std::string("Stable"));
        QCOMPARE(g.groupEpoch, 7);
        QCOMPARE(g.assignor, std::string("uniform"));
        QCOMPARE(g.members.size(), size_t(1));
        const ConsumerGroupMemberDescription &m = g.members[0];
        QCOMPARE(m.memberId, std::string("Zv1sL3lFQ2yw0Y1Qm9W0tA"));
        QCOMPARE(m.rackId.value_or(""), std::string("az-b"));
        QVERIFY(!m.instanceId);
        QCOMPARE(m.memberEpoch, 7);
        QCOMPARE(m.clientId, std::string("kp848-live-client"));
        QCOMPARE(m.subscribedTopics, std::vector<std::string>{"orders"});
        QCOMPARE(m.assignment.size(), size_t(1));
        QCOMPARE(m.assignment[0].partitions, (std::vector<int32_t>{0, 1}));
        QCOMPARE(m.targetAssignment[0].partitions, (std::vector<int32_t>{0, 1, 2}));
        QCOMPARE(int(m.memberType), version >= 1 ? 1 : -1);
        for (size_t n = 0; n < body.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError,
                                     decodeConsumerGroupDescribeResponse(int16_t(version), body.substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeConsumerGroupDescribeResponse(int16_t(version), body + "x"));
        // The request: the group ids, then "include authorized operations" false.
        QCOMPARE(encodeConsumerGroupDescribeRequest({"a", "bc"}), std::string("\x03\x02"
                                                                              "a\x03"
                                                                              "bc\x00\x00",
                                                                              8));
    }

    static std::string consumerAssignment()
    {
        Writer a;
        a.int16(3); // a newer version than the app knows: the partitions come first all the same
        a.arrayLength(2);
        a.string("orders");
        a.arrayLength(2);
        a.int32(0);
        a.int32(2);
        a.string("payments");
        a.arrayLength(1);
        a.int32(1);
        a.bytes("user data");
        return a.take();
    }

    static std::string describeGroupsResponse(int16_t version)
    {
        Writer w;
        w.int32(0); // throttle
        w.arrayLength(2);
        w.int16(0);
        w.string("kp-lagging");
        w.string("Stable");
        w.string("consumer");
        w.string("range");
        w.arrayLength(1);
        w.string("m-1");
        if (version >= 4)
            w.nullableString(std::string("static-1"));
        w.string("client-1");
        w.string("/10.0.0.7");
        w.bytes("subscription");
        w.bytes(consumerAssignment());
        w.int32(std::numeric_limits<int32_t>::min()); // authorized operations: not asked
        w.int16(16);                                  // NOT_COORDINATOR
        w.string("kp-moved");
        w.string("");
        w.string("");
        w.string("");
        w.arrayLength(0);
        w.int32(std::numeric_limits<int32_t>::min());
        return w.take();
    }

    void describeGroups_data()
    {
        QTest::addColumn<int>("version");
        QTest::addRow("v3") << 3;
        QTest::addRow("v4") << 4;
    }

    void describeGroups()
    {
        QFETCH(int, version);
        const std::string body = describeGroupsResponse(int16_t(version));
        const auto groups = decodeDescribeGroupsResponse(int16_t(version), body);
        QCOMPARE(groups.size(), size_t(2));
        QCOMPARE(groups[0].groupId, std::string("kp-lagging"));
        QCOMPARE(groups[0].state, std::string("Stable"));
        QCOMPARE(groups[0].protocolType, std::string("consumer"));
        QCOMPARE(groups[0].protocolData, std::string("range"));
        QCOMPARE(groups[0].members.size(), size_t(1));
        const DescribedMember &m = groups[0].members[0];
        QCOMPARE(m.memberId, std::string("m-1"));
        QCOMPARE(m.groupInstanceId, std::string(version >= 4 ? "static-1" : ""));
        QCOMPARE(m.clientId, std::string("client-1"));
        QCOMPARE(m.clientHost, std::string("/10.0.0.7"));
        const auto assigned = decodeConsumerAssignment(m.assignment);
        QCOMPARE(assigned.size(), size_t(3));
        QCOMPARE(assigned[0].topic + "-" + std::to_string(assigned[0].partition), std::string("orders-0"));
        QCOMPARE(assigned[1].topic + "-" + std::to_string(assigned[1].partition), std::string("orders-2"));
        QCOMPARE(assigned[2].topic + "-" + std::to_string(assigned[2].partition), std::string("payments-1"));
        QCOMPARE(groups[1].errorCode, int16_t(16));
        QCOMPARE(groups[1].groupId, std::string("kp-moved"));
        for (size_t n = 0; n < body.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeGroupsResponse(int16_t(version), body.substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeGroupsResponse(int16_t(version), body + "x"));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeGroupsResponse(5, body));
        const std::string assignment = consumerAssignment();
        for (size_t n = 1; n < 30; ++n) // a cut inside the partitions
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeConsumerAssignment(assignment.substr(0, n)));
        QVERIFY(decodeConsumerAssignment("").empty());
        // The request: two ids, then "include authorized operations" false.
        QCOMPARE(encodeDescribeGroupsRequest(int16_t(version), {"a", "bc"}), std::string("\x00\x00\x00\x02\x00\x01"
                                                                                         "a\x00\x02"
                                                                                         "bc\x00",
                                                                                         12));
    }

    // OffsetFetch v8: two groups in one answer, the second one moved (NOT_COORDINATOR).
    void offsetFetchManyGroups()
    {
        Writer w;
        w.int32(0); // throttle
        w.compactArrayLength(2);
        w.compactString("kp-lagging");
        w.compactArrayLength(1);
        w.compactString("orders");
        w.compactArrayLength(2);
        for (int32_t p = 0; p < 2; ++p) {
            w.int32(p);
            w.int64(p == 0 ? 50 : -1);
            w.int32(-1);                           // leader epoch
            w.compactNullableString(std::nullopt); // metadata
            w.int16(0);
            w.emptyTaggedFields();
        }
        w.emptyTaggedFields();
        w.int16(0);
        w.emptyTaggedFields();
        w.compactString("kp-moved");
        w.compactArrayLength(0);
        w.int16(16);
        w.emptyTaggedFields();
        w.emptyTaggedFields();
        const std::string body = w.take();
        const auto groups = decodeOffsetFetchGroupsResponse(body);
        QCOMPARE(groups.size(), size_t(2));
        QCOMPARE(groups[0].groupId, std::string("kp-lagging"));
        QCOMPARE(groups[0].response.partitions.size(), size_t(2));
        QCOMPARE(groups[0].response.partitions[0].committed, int64_t(50));
        QCOMPARE(groups[0].response.partitions[1].committed, int64_t(-1));
        QCOMPARE(groups[0].response.partitions[1].topic, std::string("orders"));
        QCOMPARE(groups[1].response.errorCode, int16_t(16));
        for (size_t n = 0; n < body.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeOffsetFetchGroupsResponse(body.substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeOffsetFetchGroupsResponse(body + "x"));
        // A negative partition is refused where it enters, not carried into the lag build.
        std::string negative = body;
        const std::string first("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x32", 12); // partition 0, offset 50
        const size_t at = negative.find(first);
        QVERIFY(at != std::string::npos);
        negative.replace(at, 4, std::string("\xff\xff\xff\xfe", 4));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeOffsetFetchGroupsResponse(negative));
        // The request: each group with a null topic list, then "require stable" false.
        QCOMPARE(encodeOffsetFetchGroupsRequest({"a", "bc"}), std::string("\x03\x02"
                                                                          "a\x00\x00\x03"
                                                                          "bc\x00\x00\x00\x00",
                                                                          12));
    }

    // Kafka's Uuid.toString() for new Uuid(0, 1), and a topic id kafka-topics.sh printed for the test cluster.
    void topicIdsAsKafkaPrintsThem()
    {
        QCOMPARE(uuidText(std::string(15, '\0') + '\x01'), std::string("AAAAAAAAAAAAAAAAAAAAAQ"));
        QCOMPARE(uuidText(QByteArray::fromBase64("ygYqSApJREeVpgDP-R0pSA",
                                                 QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                              .toStdString()),
                 std::string("ygYqSApJREeVpgDP-R0pSA"));
        QCOMPARE(uuidText(std::string(16, '\0')), std::string()); // the null id: a broker before Metadata v10
    }

    // Two brokers (one without a rack), one topic of two partitions (one leaderless with an offline replica).
    static std::string metadataResponse(int16_t version)
    {
        Writer w;
        w.int32(0); // throttle
        w.compactArrayLength(2);
        w.int32(1);
        w.compactString("b1.example");
        w.int32(9092);
        w.compactNullableString(std::string("az-a"));
        w.emptyTaggedFields();
        w.int32(2);
        w.compactString("b2.example");
        w.int32(9093);
        w.compactNullableString(std::nullopt);
        w.emptyTaggedFields();
        w.compactNullableString(std::string("S2Fma2FQbGFubmVyVGVzdA"));
        w.int32(1); // controller
        w.compactArrayLength(1);
        w.int16(0);
        w.compactNullableString(std::string("orders"));
        if (version >= 10)
            for (int i = 0; i < 16; ++i)
                w.int8(int8_t(i == 15 ? 1 : 0));
        w.boolean(false);
        w.compactArrayLength(2);
        auto partition = [&w](int16_t error, int32_t p, int32_t leader, std::vector<int32_t> replicas,
                              std::vector<int32_t> isr, std::vector<int32_t> offline) {
            w.int16(error);
            w.int32(p);
            w.int32(leader);
            w.int32(3); // leader epoch
            for (const auto *ids : {&replicas, &isr, &offline}) {
                w.compactArrayLength(int32_t(ids->size()));
                for (int32_t id : *ids)
                    w.int32(id);
            }
            w.emptyTaggedFields();
        };
        partition(0, 0, 1, {1, 2}, {1, 2}, {});
        partition(5, 1, -1, {2, 3}, {}, {3});
        w.int32(std::numeric_limits<int32_t>::min()); // topic authorized operations: not asked
        w.emptyTaggedFields();
        if (version <= 10)
            w.int32(std::numeric_limits<int32_t>::min());
        w.emptyTaggedFields();
        return w.take();
    }

    void metadata_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 9; v <= 12; ++v)
            QTest::addRow("v%d", v) << v;
    }

    void metadata()
    {
        QFETCH(int, version);
        const std::string body = metadataResponse(int16_t(version));
        const MetadataResponse md = decodeMetadataResponse(int16_t(version), body);
        QCOMPARE(md.brokers.size(), size_t(2));
        QCOMPARE(md.brokers[0].rack.value_or("-"), std::string("az-a"));
        QVERIFY(!md.brokers[1].rack);
        QCOMPARE(md.brokers[1].port, 9093);
        QCOMPARE(md.clusterId.value_or(""), std::string("S2Fma2FQbGFubmVyVGVzdA"));
        QCOMPARE(md.topics.size(), size_t(1));
        QCOMPARE(md.topics[0].name, std::string("orders"));
        QCOMPARE(md.topics[0].topicId, version >= 10 ? std::string("AAAAAAAAAAAAAAAAAAAAAQ") : std::string());
        QCOMPARE(md.topics[0].partitions.size(), size_t(2));
        QCOMPARE(md.topics[0].partitions[1].leader, -1);
        QCOMPARE(int(md.topics[0].partitions[1].errorCode), 5);
        QCOMPARE(md.topics[0].partitions[1].offlineReplicas, std::vector<int32_t>{3});
        QCOMPARE(md.topics[0].partitions[0].isr, (std::vector<int32_t>{1, 2}));
        for (size_t n = 0; n < body.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeMetadataResponse(int16_t(version), body.substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeMetadataResponse(int16_t(version), body + "x"));
        // All topics is a null array; never auto-create; v9/v10 still carry "include cluster operations".
        const std::string all = encodeMetadataRequest(int16_t(version), true);
        QCOMPARE(all, version <= 10 ? std::string("\x00\x00\x00\x00\x00", 5) : std::string("\x00\x00\x00\x00", 4));
        QCOMPARE(encodeMetadataRequest(int16_t(version), false).front(), '\x01'); // no topic: an empty array
    }

    void metadataRefusesImpossibleValues()
    {
        Writer w;
        w.int32(0);
        w.compactArrayLength(1);
        w.int32(1);
        w.compactString("b1");
        w.int32(70000); // no such port
        w.compactNullableString(std::nullopt);
        w.emptyTaggedFields();
        w.compactNullableString(std::nullopt);
        w.int32(1);
        w.compactArrayLength(0);
        w.emptyTaggedFields();
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeMetadataResponse(12, w.data()));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeMetadataResponse(8, w.data()));
    }

    void describeConfigs()
    {
        // The request: one topic, two keys, no synonyms, no documentation.
        QCOMPARE(encodeDescribeConfigsRequest(4, {{ConfigResourceType::Topic, "t"}}, {"a", "bc"}),
                 std::string("\x02\x02\x02t\x03\x02"
                             "a\x03"
                             "bc\x00\x00\x00\x00",
                             14));
        Writer w;
        w.int32(0);
        w.compactArrayLength(2);
        w.int16(0);
        w.compactNullableString(std::nullopt);
        w.int8(2);
        w.compactString("orders");
        w.compactArrayLength(2);
        auto entry = [&w](const char *name, std::optional<std::string> value) {
            w.compactString(name);
            w.compactNullableString(value);
            w.boolean(false);
            w.int8(1); // dynamic topic config
            w.boolean(!value);
            w.compactArrayLength(0); // synonyms
            w.int8(5);               // LONG
            w.compactNullableString(std::nullopt);
            w.emptyTaggedFields();
        };
        entry("retention.ms", std::string("604800000"));
        entry("sasl.jaas.config", std::nullopt);
        w.emptyTaggedFields();
        w.int16(29);
        w.compactNullableString(std::string("Authorization failed."));
        w.int8(2);
        w.compactString("secret-topic");
        w.compactArrayLength(0);
        w.emptyTaggedFields();
        w.emptyTaggedFields();
        const auto results = decodeDescribeConfigsResponse(4, w.data());
        QCOMPARE(results.size(), size_t(2));
        QCOMPARE(results[0].name, std::string("orders"));
        QCOMPARE(results[0].configs.size(), size_t(2));
        QCOMPARE(results[0].configs[0].second.value_or(""), std::string("604800000"));
        QVERIFY(!results[0].configs[1].second);
        QCOMPARE(int(results[1].errorCode), 29);
        QCOMPARE(results[1].errorMessage, std::string("Authorization failed."));
        for (size_t n = 0; n < w.data().size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeConfigsResponse(4, w.data().substr(0, n)));
        QVERIFY_THROWS_EXCEPTION(ProtocolError, decodeDescribeConfigsResponse(3, w.data()));
    }

    void bootstrapListsAreSplit()
    {
        const auto servers = kp::bootstrapAddresses(" a.example:9092,[::1]:19092 ,bad,:1,c:0,d:99999,e:x1,f:19093");
        QCOMPARE(servers.size(), size_t(3));
        QCOMPARE(servers[0].host, std::string("a.example"));
        QCOMPARE(servers[1].host, std::string("::1"));
        QCOMPARE(servers[1].port, 19092);
        QCOMPARE(servers[2].host, std::string("f"));
    }

    void apiVersions()
    {
        Writer w;
        w.int16(0);
        w.arrayLength(2);
        for (int16_t k : {int16_t(18), int16_t(35)}) {
            w.int16(k);
            w.int16(0);
            w.int16(k == 18 ? 3 : 4);
        }
        const auto r = decodeApiVersionsResponse(w.data());
        QCOMPARE(r.apis.at(kDescribeLogDirs).max, int16_t(4));
        QCOMPARE(r.apis.at(kApiVersions).max, int16_t(3));
    }

    // An unsecured JWT as Kafka's unsecured validator takes it: {"alg":"none"}, sub/iat/exp, an empty signature; and
    // the RFC 7628 client message around it.
    void oauthBearerUnsecuredToken()
    {
        const std::string token = unsecuredJwt("inspector", 1764000000, 3600);
        QCOMPARE(token, std::string("eyJhbGciOiJub25lIn0.") +
                            QByteArray(R"({"exp":1764003600,"iat":1764000000,"sub":"inspector"})")
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                                .toStdString() +
                            ".");
        QCOMPARE(oauthBearerClientFirst("T"), std::string("n,,\x01"
                                                          "auth=Bearer T\x01\x01"));
    }

    // An OIDC token endpoint's answer: the JWT inside, its principal and expiry; everything else refused by name.
    void oidcTokenAnswers_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QByteArray>("refusal"); // empty: accepted
        auto row = [](const char *name, const QByteArray &answer, const QByteArray &refusal) {
            QTest::addRow("%s", name) << answer << refusal;
        };
        auto b64 = [](const char *json) {
            return QByteArray(json).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        const QByteArray header = b64(R"({"alg":"RS256","kid":"k"})");
        auto jwt = [&](const char *claims) { return QByteArray(header + "." + b64(claims) + ".c2ln"); };
        auto answer = [](const QByteArray &token, const QByteArray &type = "Bearer") {
            return QByteArray(R"({"access_token":")" + token + R"(","token_type":")" + type +
                              R"(","expires_in":3600})");
        };
        row("valid", answer(jwt(R"({"sub":"admin","exp":1764003600})")), QByteArray());
        row("lowercase bearer", answer(jwt(R"({"sub":"admin","exp":1764003600})"), "bearer"), QByteArray());
        row("not json", "<html>login</html>", "the answer is not a JSON object");
        row("no token", R"({"token_type":"Bearer"})", "the answer has no access_token");
        row("token a number", R"({"access_token":5})", "the answer has no access_token");
        row("mac token", answer(jwt(R"({"sub":"admin","exp":1764003600})"), "mac"), "token_type is 'mac', not Bearer");
        row("not a jwt", answer("opaque-reference-token"), "the access token is not a JWT (header.payload.signature)");
        row("four parts", answer("a.b.c.d"), "the access token is not a JWT (header.payload.signature)");
        row("bad base64", answer("a!.b.c"), "the access token is not a JWT: a part is not base64url");
        row("payload not json", answer(QByteArray(header + "." + b64("[1]") + ".x")),
            "the access token is not a JWT: its header or payload is not a JSON "
            "object");
        row("no sub", answer(jwt(R"({"exp":1764003600})")), "the access token names no principal (no \"sub\" claim)");
        row("no exp", answer(jwt(R"({"sub":"admin"})")),
            "the access token has no valid expiry (\"exp\" claim, seconds since 1970)");
        row("exp text", answer(jwt(R"({"sub":"admin","exp":"soon"})")),
            "the access token has no valid expiry (\"exp\" claim, seconds since 1970)");
        row("exp huge", answer(jwt(R"({"sub":"admin","exp":1e300})")),
            "the access token has no valid expiry (\"exp\" claim, seconds since 1970)");
        row("expired", answer(jwt(R"({"sub":"admin","exp":1764000000})")),
            "the access token has already expired (its \"exp\" claim is in the past)");
    }
    void oidcTokenAnswers()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QByteArray, refusal);
        const int64_t now = 1764000000000; // ms
        try {
            const AccessToken t = parseTokenResponse(answer.toStdString(), now);
            QVERIFY2(refusal.isEmpty(), "accepted");
            QCOMPARE(t.principal, std::string("admin"));
            QCOMPARE(t.expiresAtMs, int64_t(1764003600000));
            QVERIFY(answer.toStdString().find(t.token) != std::string::npos);
        } catch (const std::runtime_error &e) {
            QCOMPARE(QByteArray(e.what()), refusal);
        }
    }

    void scramRfc7677()
    {
        // RFC 7677, section 3: user "user", password "pencil".
        ScramClient c(QCryptographicHash::Sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        QCOMPARE(c.clientFirst(), std::string("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        const std::string final =
            c.clientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        QCOMPARE(final, std::string("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        c.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        QVERIFY_THROWS_EXCEPTION(ProtocolError, c.verifyServerFinal("v=AAAA"));
    }

    void scramRefusesHostileServers_data()
    {
        QTest::addColumn<QString>("serverFirst");
        QTest::addColumn<QString>("message");
        QTest::addRow("foreign nonce") << "r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                       << "SCRAM: the broker's nonce does not extend ours";
        QTest::addRow("same nonce") << "r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                                    << "SCRAM: the broker's nonce does not extend ours";
        QTest::addRow("few iterations") << "r=abcd,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1"
                                        << "SCRAM: iteration count 1 is out of the range 4096 to 1,000,000";
        QTest::addRow("no salt") << "r=abcd,i=4096"
                                 << "SCRAM: malformed server-first-message";
        QTest::addRow("error") << "e=invalid-proof"
                               << "the broker refused SCRAM: invalid-proof";
    }

    void scramRefusesHostileServers()
    {
        QFETCH(QString, serverFirst);
        QFETCH(QString, message);
        ScramClient c(QCryptographicHash::Sha512, "u=,x", "p", "abc");
        QCOMPARE(c.clientFirst(), std::string("n,,n=u=3D=2Cx,r=abc"));
        try {
            c.clientFinal(serverFirst.toStdString());
            QFAIL("must throw");
        } catch (const ProtocolError &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TestWire)
#include "tst_wire.moc"
