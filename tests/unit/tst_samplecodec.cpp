#include "models/samplecodec.h"

#include <QTest>
#include <random>

using namespace kp;

class TestSampleCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripAcrossKeyframesAndDeltas()
    {
        SampleEncoder enc;
        SampleDecoder dec;
        std::vector<std::vector<SeriesValue>> frames{
            {{0, 100, 4096}, {1, -1, -1}, {5, 7, 0}},
            {{0, 150, 5000}, {1, 3, -1}, {5, 7, 0}},            // values move, an unknown becomes known
            {{0, 150, 5000}, {5, 6, 0}, {9, 1000000000000, 1}}, // series 1 gone, 9 new, a rewind on 5
            {{0, 10, 0}, {9, 1000000000001, 1}},                // partition 0 recreated
        };
        for (size_t i = 0; i < frames.size(); ++i) {
            const std::string blob = enc.encode(frames[i], i == 0);
            QCOMPARE(isKeyframe(blob), i == 0);
            QCOMPARE(dec.decode(blob), frames[i]);
        }
        // A fresh keyframe resets the chain for the encoder and the decoder alike.
        SampleDecoder fresh;
        const std::string key = enc.encode(frames[1], true);
        QCOMPARE(fresh.decode(key), frames[1]);
        QCOMPARE(fresh.decode(enc.encode(frames[2], false)), frames[2]);
    }

    void deltaWithoutKeyframeIsRefused()
    {
        SampleEncoder enc;
        enc.encode({{0, 1, 1}}, true);
        const std::string delta = enc.encode({{0, 2, 2}}, false);
        SampleDecoder dec;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, dec.decode(delta));
    }

    void unsortedInputIsRefused()
    {
        SampleEncoder enc;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, enc.encode({{3, 1, 1}, {2, 1, 1}}, true));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, enc.encode({{3, 1, 1}, {3, 1, 1}}, true));
    }

    void idleSeriesCostAlmostNothing()
    {
        // 10,000 partitions and 10,000 group offsets, all idle between two samples.
        std::vector<SeriesValue> values;
        for (uint32_t s = 0; s < 20000; ++s)
            values.push_back({s, 1000000 + s * 37, 50000000 + s});
        SampleEncoder enc;
        const std::string key = enc.encode(values, true);
        const std::string idle = enc.encode(values, false);
        QVERIFY2(idle.size() < 200, qPrintable(QString::number(idle.size())));
        QVERIFY2(key.size() < 20000 * 8, qPrintable(QString::number(key.size())));
        SampleDecoder dec;
        dec.decode(key);
        QCOMPARE(dec.decode(idle), values);
    }

    void corruptFramesNeverCrash()
    {
        SampleEncoder enc;
        std::vector<SeriesValue> values;
        for (uint32_t s = 0; s < 300; ++s)
            values.push_back({s * 3, int64_t(s) * 1000, int64_t(s)});
        const std::string key = enc.encode(values, true);
        // qUncompress warns about every corrupt input it sees: expected here, and not worth 2,000 lines.
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
        std::mt19937 rng(42);
        int refused = 0;
        for (int i = 0; i < 2000; ++i) {
            std::string bad = key;
            if (i % 2)
                bad.resize(rng() % bad.size());
            else
                bad[rng() % bad.size()] ^= char(1 << (rng() % 8));
            try {
                SampleDecoder dec;
                dec.decode(bad);
            } catch (const std::runtime_error &) {
                ++refused;
            }
        }
        qInstallMessageHandler(previous);
        // Truncation is always caught (zlib's length header or our checks); flips mostly are.
        QVERIFY2(refused >= 1000, qPrintable(QString::number(refused)));
    }
};

QTEST_GUILESS_MAIN(TestSampleCodec)
#include "tst_samplecodec.moc"
