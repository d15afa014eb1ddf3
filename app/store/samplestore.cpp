#include "store/samplestore.h"

#include "store/historypoints.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <limits>
#include <memory>
#include <sqlite3.h>
#include <string_view>

namespace kp {

namespace {

[[noreturn]] void fail(const QSqlQuery &q, const char *what)
{
    throw StoreError(std::string(what) + ": " + q.lastError().text().toStdString());
}

// The frame of a row (taken_at, data) of a query over samples, decoded by `decoder`, which continues its chain.
std::vector<SeriesValue> decodeRow(const QSqlQuery &query, int tier, SampleDecoder &decoder)
{
    const QByteArray data = query.value(1).toByteArray();
    try {
        return decoder.decode(std::string(data.constData(), size_t(data.size())));
    } catch (const std::exception &e) {
        throw StoreError("sample at " + std::to_string(query.value(0).toLongLong()) + " (tier " + std::to_string(tier) +
                         ") is corrupt: " + e.what());
    }
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

SampleStore::SampleStore(Database &db) : SampleStore(db, Retention{}) {}

int64_t SampleStore::clusterKey(const std::string &clusterId, bool create)
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT id FROM clusters WHERE cluster_id = ?"));
    query.addBindValue(q(clusterId));
    if (!query.exec())
        fail(query, "reading clusters");
    if (query.next())
        return query.value(0).toLongLong();
    if (!create)
        return -1;
    query.prepare(QStringLiteral("INSERT INTO clusters (cluster_id) VALUES (?) RETURNING id"));
    query.addBindValue(q(clusterId));
    if (!query.exec() || !query.next())
        fail(query, "adding a cluster");
    return query.value(0).toLongLong();
}

void SampleStore::resolveSeries(int64_t cluster, const std::vector<std::pair<size_t, SeriesKey>> &missing,
                                Frame &values)
{
    if (m_seriesLoaded.insert(cluster).second)
        forEachSeries(cluster, [&](uint32_t id, InternedString group, InternedString topic, int32_t partition) {
            m_series.emplace(SeriesKey{cluster, group, topic, partition}, id);
        });
    std::set<SeriesKey> unknown;
    for (const auto &[index, key] : missing)
        if (!m_series.count(key))
            unknown.insert(key);
    if (m_db.backend() == StoreBackend::Sqlite) {
        insertSeriesIntoSqlite({unknown.begin(), unknown.end()});
    } else { // PostgreSQL: 500 rows an INSERT, few round trips
        std::vector<SeriesKey> batch;
        for (auto it = unknown.begin(); it != unknown.end(); ++it) {
            batch.push_back(*it);
            if (batch.size() == 500 || std::next(it) == unknown.end()) {
                insertSeries(batch);
                batch.clear();
            }
        }
    }
    for (const auto &[index, key] : missing)
        values[index].series = m_series.at(key);
}

void SampleStore::insertSeries(const std::vector<SeriesKey> &keys)
{
    QString sql = QStringLiteral("INSERT INTO series (cluster, grp, topic, partition) VALUES ");
    for (size_t i = 0; i < keys.size(); ++i)
        sql += i == 0 ? QStringLiteral("(?, ?, ?, ?)") : QStringLiteral(", (?, ?, ?, ?)");
    sql += QStringLiteral(" ON CONFLICT (cluster, grp, topic, partition) DO UPDATE SET grp = excluded.grp "
                          "RETURNING id, cluster, grp, topic, partition");
    QSqlQuery query(m_db.db());
    query.prepare(sql);
    for (const auto &[cluster, group, topic, partition] : keys) {
        query.addBindValue(qlonglong(cluster));
        query.addBindValue(q(group));
        query.addBindValue(q(topic));
        query.addBindValue(partition);
    }
    if (!query.exec())
        fail(query, "adding series");
    while (query.next())
        m_series.emplace(SeriesKey{query.value(1).toLongLong(), query.value(2).toString().toStdString(),
                                   query.value(3).toString().toStdString(), query.value(4).toInt()},
                         uint32_t(query.value(0).toLongLong()));
}

sqlite3 *SampleStore::sqliteHandle()
{
    const QVariant handle = m_db.db().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

// One prepared statement, a row a step, through sqlite3's own API: Qt's SQLite driver looks each parameter of a
// statement up by number in a list (sqlite3_bind_parameter_name), a cost growing with the square of the parameters of
// a many-row INSERT. The first sample of 250,000 series (50,122 partitions, 200,084 committed offsets; `watch --count
// 1` on a new file) was stored in 11.7 s with 500 rows an INSERT through Qt, 4.9 s with 50. The handle is the
// driver's own connection (Debian's Qt SQLite driver uses the system libsqlite3, the library linked here).
void SampleStore::insertSeriesIntoSqlite(const std::vector<SeriesKey> &keys)
{
    sqlite3 *sqlite = sqliteHandle();
    if (!sqlite)
        throw StoreError("adding series: the SQLite driver gave no sqlite3 handle");
    sqlite3_stmt *raw = nullptr;
    auto failed = [sqlite](const char *what) {
        return StoreError(std::string("adding series: ") + what + ": " + sqlite3_errmsg(sqlite));
    };
    if (sqlite3_prepare_v2(sqlite,
                           "INSERT INTO series (cluster, grp, topic, partition) VALUES (?, ?, ?, ?) ON CONFLICT "
                           "(cluster, grp, topic, partition) DO UPDATE SET grp = excluded.grp RETURNING id",
                           -1, &raw, nullptr) != SQLITE_OK)
        throw failed("prepare");
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> statement(raw, sqlite3_finalize);
    for (const auto &key : keys) {
        const auto &[cluster, group, topic, partition] = key;
        sqlite3_bind_int64(raw, 1, cluster);
        sqlite3_bind_text(raw, 2, group.c_str(), int(group.size()), SQLITE_STATIC);
        sqlite3_bind_text(raw, 3, topic.c_str(), int(topic.size()), SQLITE_STATIC);
        sqlite3_bind_int(raw, 4, partition);
        if (sqlite3_step(raw) != SQLITE_ROW)
            throw failed("insert");
        m_series.emplace(key, uint32_t(sqlite3_column_int64(raw, 0)));
        if (sqlite3_step(raw) != SQLITE_DONE)
            throw failed("insert");
        sqlite3_reset(raw);
    }
}

void SampleStore::forgetState()
{
    m_series.clear();
    m_seriesLoaded.clear();
    m_lastOrder.clear();
    m_chains.clear();
    m_topicIds.clear();
    m_topicIdsLoaded.clear();
}

void SampleStore::recordTopicIds(int64_t cluster, const ClusterSnapshot &s)
{
    QSqlQuery query(m_db.db());
    if (!m_topicIdsLoaded.count(cluster)) {
        query.prepare(QStringLiteral("SELECT topic, topic_id FROM topic_ids WHERE cluster = ? ORDER BY since"));
        query.addBindValue(qlonglong(cluster));
        if (!query.exec())
            fail(query, "reading topic ids");
        while (query.next())
            m_topicIds[{cluster, query.value(0).toString().toStdString()}] = query.value(1).toString().toStdString();
        m_topicIdsLoaded.insert(cluster);
    }
    for (const auto &t : s.topics) {
        if (t.topicId.empty())
            continue;
        auto [it, first] = m_topicIds.try_emplace({cluster, t.name}, t.topicId);
        if (!first && it->second == t.topicId)
            continue;
        // Another writer may have recorded the change already: the store's latest decides, under the write lock.
        query.prepare(QStringLiteral("SELECT topic_id FROM topic_ids WHERE cluster = ? AND topic = ? "
                                     "ORDER BY since DESC LIMIT 1"));
        query.addBindValue(qlonglong(cluster));
        query.addBindValue(q(t.name));
        if (!query.exec())
            fail(query, "reading topic ids");
        const bool known = query.next();
        if (known && query.value(0).toString().toStdString() == t.topicId) {
            it->second = t.topicId;
            continue;
        }
        query.prepare(QStringLiteral("INSERT INTO topic_ids (cluster, topic, topic_id, since) "
                                     "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        query.addBindValue(qlonglong(cluster));
        query.addBindValue(q(t.name));
        query.addBindValue(q(t.topicId));
        query.addBindValue(qlonglong(known ? s.takenAtMs : 0));
        if (!query.exec())
            fail(query, "recording a topic id");
        it->second = t.topicId;
    }
}

std::map<std::string, int64_t> SampleStore::incarnationStarts(int64_t cluster, int64_t toMs)
{
    std::map<std::string, int64_t> out;
    QSqlQuery query(m_db.db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT topic, max(since) FROM topic_ids WHERE cluster = ? AND since <= ? "
                                 "GROUP BY topic HAVING max(since) > 0"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(qlonglong(toMs));
    if (!query.exec())
        fail(query, "reading topic ids");
    while (query.next())
        out[query.value(0).toString().toStdString()] = query.value(1).toLongLong();
    return out;
}

void SampleStore::resume(int64_t cluster, int tier, Chain &chain)
{
    SampleDecoder decoder;
    try {
        constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
        chain.sinceKeyframe = scan(
            cluster, tier, kEnd, kEnd, [](int64_t, const Frame &) {}, decoder);
        chain.encoder.continueFrom(decoder);
    } catch (const StoreError &) {
        chain.sinceKeyframe = kKeyframeEvery; // what is there does not decode: start again with a keyframe
    }
}

size_t SampleStore::writeFrame(int64_t cluster, int tier, int64_t atMs, const Frame &values)
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT taken_at, data FROM samples WHERE cluster = ? AND tier = ? "
                                 "ORDER BY taken_at DESC LIMIT 1"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    if (!query.exec())
        fail(query, "reading the last sample");
    Chain &chain = m_chains[{cluster, tier}];
    if (query.next()) {
        const int64_t lastAt = query.value(0).toLongLong();
        if (lastAt >= atMs)
            return 0;
        const QByteArray last = query.value(1).toByteArray();
        if (lastAt != chain.lastAt || std::string_view(last.constData(), size_t(last.size())) != chain.lastFrame)
            resume(cluster, tier, chain);
    } else {
        chain.sinceKeyframe = kKeyframeEvery;
    }
    const bool keyframe = chain.sinceKeyframe >= kKeyframeEvery;
    std::string blob = chain.encoder.encode(values, keyframe);
    query.prepare(
        QStringLiteral("INSERT INTO samples (cluster, tier, taken_at, keyframe, data) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    query.addBindValue(qlonglong(atMs));
    query.addBindValue(keyframe ? 1 : 0);
    query.addBindValue(QByteArray(blob.data(), qsizetype(blob.size())));
    if (!query.exec())
        fail(query, "adding a sample");
    chain.sinceKeyframe = keyframe ? 1 : chain.sinceKeyframe + 1;
    chain.lastAt = atMs;
    chain.lastFrame = std::move(blob);
    return chain.lastFrame.size();
}

size_t SampleStore::record(const ClusterSnapshot &s)
{
    QSqlDatabase &db = m_db.db();
    m_db.beginWrite();
    try {
        const int64_t cluster = clusterKey(s.clusterId, true);
        Frame values;
        values.reserve(size_t(s.partitionCount()) * 2);
        std::vector<std::pair<size_t, SeriesKey>> missing; // values whose series is not known yet
        // The last sample's order, made this one's in place (a failure below forgets it).
        std::vector<PlacedSeries> &order = m_lastOrder[cluster];
        auto add = [&](InternedString group, InternedString topic, int32_t partition, int64_t value, int64_t size) {
            const size_t at = values.size();
            uint32_t id = 0;
            if (at < order.size() && order[at].partition == partition && order[at].topic == topic &&
                order[at].group == group) {
                id = order[at].id;
            } else {
                if (const auto it = m_series.find({cluster, group, topic, partition}); it != m_series.end())
                    id = it->second;
                else
                    missing.emplace_back(at, SeriesKey{cluster, group, topic, partition});
                if (at < order.size())
                    order[at] = {group, topic, partition, id};
                else
                    order.push_back({group, topic, partition, id});
            }
            values.push_back({id, value, size});
        };
        for (const auto &t : s.topics) {
            const InternedString topic = t.name;
            for (const auto &p : t.partitions)
                add({}, topic, p.partition, p.highWatermark, p.sizeBytes());
        }
        for (const auto &g : s.groups) {
            const InternedString group = g.groupId;
            for (const auto &o : g.offsets)
                add(group, o.topic, o.partition, o.committed, -1);
        }
        order.resize(values.size());
        if (!missing.empty())
            resolveSeries(cluster, missing, values);
        for (const auto &[index, key] : missing)
            order[index].id = values[index].series;
        std::sort(values.begin(), values.end(),
                  [](const SeriesValue &a, const SeriesValue &b) { return a.series < b.series; });
        const size_t bytes = writeFrame(cluster, 0, s.takenAtMs, values);
        if (bytes > 0)
            recordTopicIds(cluster, s);
        if (!db.commit())
            throw StoreError("committing a sample: " + db.lastError().text().toStdString());
        return bytes;
    } catch (...) {
        db.rollback();
        // Nothing of this sample stayed: forget cached ids and encoder state, the next sample starts a new chain.
        forgetState();
        throw;
    }
}

int64_t SampleStore::sampleCount(const std::string &clusterId, int tier)
{
    const int64_t cluster = clusterKey(clusterId, false);
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT count(*) FROM samples WHERE cluster = ? AND tier = ?"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    if (!query.exec() || !query.next())
        fail(query, "counting samples");
    return query.value(0).toLongLong();
}

template <typename Fn>
int SampleStore::scan(int64_t cluster, int tier, int64_t fromMs, int64_t toMs, Fn &&fn, SampleDecoder &decoder)
{
    QSqlQuery query(m_db.db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT taken_at, data FROM samples WHERE cluster = ? AND tier = ? AND taken_at <= ? "
                                 "AND taken_at >= coalesce((SELECT max(taken_at) FROM samples WHERE cluster = ? AND "
                                 "tier = ? AND keyframe = 1 AND taken_at <= ?), 0) ORDER BY taken_at"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    query.addBindValue(qlonglong(toMs));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    query.addBindValue(qlonglong(fromMs));
    if (!query.exec())
        fail(query, "reading samples");
    int frames = 0;
    while (query.next()) {
        const int64_t at = query.value(0).toLongLong();
        Frame values = decodeRow(query, tier, decoder);
        ++frames;
        if (at >= fromMs)
            fn(at, values); // earlier frames were decoded only to rebuild the chain
    }
    return frames;
}

SampleStore::CompactResult SampleStore::compact(const std::string &clusterId, int64_t nowMs)
{
    CompactResult result;
    const int64_t cluster = clusterKey(clusterId, false);
    if (cluster < 0)
        return result;
    QSqlDatabase &db = m_db.db();
    m_db.beginWrite();
    auto scalar = [&](const QString &sql, std::initializer_list<QVariant> binds, const char *what) -> int64_t {
        QSqlQuery query(db);
        query.prepare(sql);
        for (const auto &b : binds)
            query.addBindValue(b);
        if (!query.exec() || !query.next())
            fail(query, what);
        return query.value(0).isNull() ? -1 : query.value(0).toLongLong();
    };
    // Deletes a tier's frames before its last keyframe at or before `limitMs`, so that what remains starts at a
    // keyframe.
    auto cut = [&](int tier, int64_t limitMs) {
        const int64_t keyAt = scalar(QStringLiteral("SELECT max(taken_at) FROM samples WHERE cluster = ? AND tier = ? "
                                                    "AND keyframe = 1 AND taken_at <= ?"),
                                     {qlonglong(cluster), tier, qlonglong(limitMs)}, "finding a keyframe");
        if (keyAt < 0)
            return;
        QSqlQuery query(db);
        query.prepare(QStringLiteral("DELETE FROM samples WHERE cluster = ? AND tier = ? AND taken_at < ?"));
        query.addBindValue(qlonglong(cluster));
        query.addBindValue(tier);
        query.addBindValue(qlonglong(keyAt));
        if (!query.exec())
            fail(query, "deleting old samples");
        result.deleted += query.numRowsAffected();
    };
    try {
        for (int tier = 1; tier < kTiers; ++tier) {
            const int source = tier - 1;
            const int64_t bucket = m_retention.bucketMs[tier];
            // Whole buckets that the source tier no longer keeps.
            const int64_t boundary = (nowMs - m_retention.keepMs[source]) / bucket * bucket;
            const int64_t last =
                scalar(QStringLiteral("SELECT max(taken_at) FROM samples WHERE cluster = ? AND tier = ?"),
                       {qlonglong(cluster), tier}, "reading the last downsampled frame");
            const int64_t from = last < 0 ? 0 : (last / bucket + 1) * bucket;
            if (from < boundary) {
                int64_t pendingAt = -1;
                Frame pending;
                scan(cluster, source, from, boundary - 1, [&](int64_t at, Frame &values) {
                    if (pendingAt >= 0 && at / bucket != pendingAt / bucket) {
                        writeFrame(cluster, tier, pendingAt, pending);
                        ++result.downsampled;
                    }
                    pendingAt = at;
                    pending = std::move(values);
                });
                if (pendingAt >= 0) {
                    writeFrame(cluster, tier, pendingAt, pending);
                    ++result.downsampled;
                }
            }
            cut(source, boundary);
        }
        cut(kTiers - 1, nowMs - m_retention.keepMs[kTiers - 1]);
        if (!db.commit())
            throw StoreError("committing the downsampling: " + db.lastError().text().toStdString());
    } catch (...) {
        db.rollback();
        forgetState();
        throw;
    }
    return result;
}

using historypoints::Keep;
using historypoints::keepPoint;
using historypoints::keepValue;
using historypoints::Target;
using historypoints::targetFor;

// Calls fn(at, values) for every frame between two times, oldest first, each moment from the finest tier that
// holds it: a coarser tier only answers for the time before the finer tiers begin.
template <typename Fn> void SampleStore::framesInWindow(int64_t cluster, int64_t fromMs, int64_t toMs, Fn &&fn)
{
    int64_t firstAt[kTiers];
    for (int tier = 0; tier < kTiers; ++tier)
        firstAt[tier] = firstFrameAt(cluster, tier, 0);
    int64_t finerFrom = std::numeric_limits<int64_t>::max(); // where the finer tiers take over
    int64_t limits[kTiers];
    for (int tier = 0; tier < kTiers; ++tier) {
        limits[tier] = finerFrom;
        if (firstAt[tier] >= 0)
            finerFrom = std::min(finerFrom, firstAt[tier]);
    }
    for (int tier = kTiers - 1; tier >= 0; --tier) {
        if (firstAt[tier] < 0)
            continue;
        const int64_t to = std::min(toMs, limits[tier] - 1);
        if (to >= fromMs)
            scan(cluster, tier, fromMs, to, fn);
    }
}

SampleStore::History SampleStore::history(const std::string &clusterId, int64_t fromMs, int64_t toMs,
                                          const Shape &shape)
{
    SeriesNames names;
    return history(clusterId, fromMs, toMs, shape, names);
}

SampleStore::History SampleStore::history(const std::string &clusterId, int64_t fromMs, int64_t toMs,
                                          const Shape &shape, SeriesNames &names)
{
    History out;
    names.clear();
    const int64_t cluster = clusterKey(clusterId, false);
    if (cluster < 0)
        return out;
    names = seriesNames(cluster);
    const std::map<std::string, int64_t> starts = incarnationStarts(cluster, toMs);
    // By the name's slot (dense, as the names are): a hash table of 250,000 series took 18 MB.
    std::vector<Target> targets(names.tableSize());
    std::vector<bool> made(names.tableSize());
    const Target none;
    auto targetOf = [&](uint32_t series) -> const Target * {
        const size_t at = names.slot(series);
        if (at == SeriesNames::npos)
            return &none;
        Target &t = targets[at];
        if (made[at])
            return &t;
        made[at] = true;
        if (const SeriesName *name = names.find(series))
            t = targetFor(*name, shape, starts, out);
        return &t;
    };
    framesInWindow(cluster, fromMs, toMs, [&](int64_t at, const Frame &values) {
        for (const auto &v : values)
            keepValue(*targetOf(v.series), at, v, shape);
    });
    // A recreated topic's partitions (and groups' commits on them) that saw no point since: not listed at all.
    auto gone = [&](const std::string &topic, bool empty) { return empty && starts.count(topic); };
    std::erase_if(out.partitions, [&](const auto &kv) { return gone(kv.first.topic, kv.second.empty()); });
    for (auto &[group, parts] : out.groups)
        std::erase_if(parts, [&](const auto &kv) { return gone(kv.first.topic, kv.second.empty()); });
    std::erase_if(out.groups, [](const auto &kv) { return kv.second.empty(); });
    return out;
}

void SampleStore::WindowEnds::start(SeriesNames seriesNames, const std::map<std::string, int64_t> &starts)
{
    names = std::move(seriesNames);
    first.assign(names.tableSize(), SizedPoint{});
    last.assign(names.tableSize(), SizedPoint{});
    since.clear();
    if (starts.empty())
        return;
    since.assign(names.tableSize(), 0);
    names.forEach([&](uint32_t id, const SeriesName &name) {
        if (auto start = starts.find(std::get<1>(name)); start != starts.end())
            since[names.slot(id)] = start->second;
    });
}

bool SampleStore::WindowEnds::keep(int64_t at, const std::vector<SeriesValue> &values)
{
    bool named = true;
    for (const auto &v : values) {
        const SeriesName *name = names.find(v.series);
        if (!name) {
            named = false;
            continue;
        }
        const size_t slot = names.slot(v.series);
        if (v.value < 0 || (!since.empty() && at < since[slot]))
            continue;
        const bool ends = std::get<0>(*name).empty();
        SizedPoint &f = first[slot], &l = last[slot];
        const SizedPoint p{at, v.value, ends ? v.sizeBytes : -1};
        // End offsets start over after a drop (a topic recreated or truncated), as Keep::Endpoints does.
        if (f.endOffset < 0 || (ends && p.endOffset < l.endOffset))
            f = p;
        l = p;
    }
    return named;
}

SampleStore::WindowEnds SampleStore::windowEnds(const std::string &clusterId, int64_t fromMs, int64_t toMs)
{
    WindowEnds out;
    const int64_t cluster = clusterKey(clusterId, false);
    if (cluster < 0)
        return out;
    // Points before a recreated topic's incarnation began are the deleted topic's: by slot, only when there is one.
    out.start(seriesNames(cluster), incarnationStarts(cluster, toMs));
    framesInWindow(cluster, fromMs, toMs, [&](int64_t at, const Frame &values) { out.keep(at, values); });
    return out;
}

SampleStore::WindowEnds SampleStore::readEnds(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                              int64_t spanMs)
{
    Database db(dbPath);
    return SampleStore(db).windowEnds(clusterId, toMs - spanMs, toMs);
}

SeriesNames SampleStore::seriesNames(int64_t cluster)
{
    SeriesNames names;
    QSqlQuery range(m_db.db());
    range.prepare(QStringLiteral("SELECT min(id), max(id) FROM series WHERE cluster = ?"));
    range.addBindValue(qlonglong(cluster));
    if (!range.exec())
        fail(range, "reading series");
    if (range.next() && !range.value(0).isNull())
        names.reserve(uint32_t(range.value(0).toLongLong()), uint32_t(range.value(1).toLongLong()));
    forEachSeries(cluster, [&](uint32_t id, InternedString group, InternedString topic, int32_t partition) {
        names.add(id, SeriesName{group, topic, partition});
    });
    return names;
}

// Through sqlite3's own API where the store is SQLite: through Qt's driver, four QVariants and two
// QStrings a row made reading a million series (10,000 groups) the largest cost of opening the Lag page.
void SampleStore::forEachSeries(int64_t cluster,
                                const std::function<void(uint32_t, InternedString, InternedString, int32_t)> &row)
{
    const char *sql = "SELECT id, grp, topic, partition FROM series WHERE cluster = ?";
    if (sqlite3 *sqlite = sqliteHandle()) {
        sqlite3_stmt *raw = nullptr;
        if (sqlite3_prepare_v2(sqlite, sql, -1, &raw, nullptr) != SQLITE_OK)
            throw StoreError(std::string("reading series: ") + sqlite3_errmsg(sqlite));
        const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> statement(raw, sqlite3_finalize);
        sqlite3_bind_int64(raw, 1, cluster);
        auto text = [raw](int column) {
            const auto *bytes = reinterpret_cast<const char *>(sqlite3_column_text(raw, column));
            return std::string_view(bytes ? bytes : "", size_t(sqlite3_column_bytes(raw, column)));
        };
        InternedString group, topic; // a group's or topic's rows mostly come together: the pool is asked once for each
        int step;
        while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
            if (const std::string_view g = text(1); group != g)
                group = InternedString(g);
            if (const std::string_view t = text(2); topic != t)
                topic = InternedString(t);
            row(uint32_t(sqlite3_column_int64(raw, 0)), group, topic, sqlite3_column_int(raw, 3));
        }
        if (step != SQLITE_DONE)
            throw StoreError(std::string("reading series: ") + sqlite3_errmsg(sqlite));
        return;
    }
    QSqlQuery query(m_db.db());
    query.setForwardOnly(true); // not a cache of every row (220,000 series: 67 MB)
    query.prepare(QString::fromLatin1(sql));
    query.addBindValue(qlonglong(cluster));
    if (!query.exec())
        fail(query, "reading series");
    while (query.next())
        row(uint32_t(query.value(0).toLongLong()), query.value(1).toString().toStdString(),
            query.value(2).toString().toStdString(), query.value(3).toInt());
}

int64_t SampleStore::firstFrameAt(int64_t cluster, int tier, int64_t atOrAfterMs)
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT min(taken_at) FROM samples WHERE cluster = ? AND tier = ? AND taken_at >= ?"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(tier);
    query.addBindValue(qlonglong(atOrAfterMs));
    if (!query.exec() || !query.next())
        fail(query, "reading samples");
    return query.value(0).isNull() ? -1 : query.value(0).toLongLong();
}

int64_t SampleStore::lastFrameAt(int64_t cluster, int64_t atOrBeforeMs)
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT max(taken_at) FROM samples WHERE cluster = ? AND tier = 0 AND taken_at <= ?"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(qlonglong(atOrBeforeMs));
    if (!query.exec() || !query.next())
        fail(query, "reading samples");
    return query.value(0).isNull() ? -1 : query.value(0).toLongLong();
}

bool SampleStore::inTierZero(int64_t cluster, int64_t fromMs)
{
    const int64_t first = firstFrameAt(cluster, 0, 0);
    bool inTierZero = first >= 0;
    for (int tier = 1; tier < kTiers && inTierZero; ++tier) {
        const int64_t coarse = firstFrameAt(cluster, tier, fromMs);
        inTierZero = coarse < 0 || coarse >= first;
    }
    return inTierZero;
}

void SampleStore::framesAfter(int64_t cluster, int64_t afterMs, int64_t toMs, SampleDecoder &decoder, const FrameFn &fn)
{
    QSqlQuery query(m_db.db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT taken_at, data FROM samples WHERE cluster = ? AND tier = 0 AND taken_at > ? "
                                 "AND taken_at <= ? ORDER BY taken_at"));
    query.addBindValue(qlonglong(cluster));
    query.addBindValue(qlonglong(afterMs));
    query.addBindValue(qlonglong(toMs));
    if (!query.exec())
        fail(query, "reading samples");
    while (query.next())
        fn(query.value(0).toLongLong(), decodeRow(query, 0, decoder));
}

void SampleStore::frameAt(int64_t cluster, int64_t atMs, SampleDecoder &decoder, const FrameFn &fn)
{
    decoder = SampleDecoder();
    scan(cluster, 0, atMs, atMs, fn, decoder);
}

SampleStore::History SampleStore::read(const QString &dbPath, const std::string &clusterId, int64_t toMs,
                                       int64_t spanMs, const Shape &shape)
{
    Database db(dbPath);
    return SampleStore(db).history(clusterId, toMs - spanMs, toMs, shape);
}

std::vector<SampleStore::GroupHistory> SampleStore::groupHistories(const std::string &clusterId, int64_t fromMs,
                                                                   int64_t toMs)
{
    return groupHistoriesOf(history(clusterId, fromMs, toMs));
}

std::vector<SampleStore::GroupHistory> SampleStore::groupHistoriesOf(const History &h)
{
    std::vector<GroupHistory> out;
    for (const auto &[group, parts] : h.groups) {
        GroupHistory g{group, {}};
        for (const auto &[tp, commits] : parts) {
            PartitionHistory ph{tp.topic, tp.partition, commits, {}};
            if (auto it = h.partitions.find(tp); it != h.partitions.end())
                for (const auto &p : it->second)
                    ph.ends.push_back({p.timeMs, p.endOffset});
            g.partitions.push_back(std::move(ph));
        }
        out.push_back(std::move(g));
    }
    return out;
}

} // namespace kp
