// The pages offscreen on the demo snapshot: every item model and proxy under QAbstractItemModelTester, the layout
// map's filters, search and cell details, the Lag page's topic side and its CSV and PNG exports.

#include "models/pricing.h"
#include "models/replayprobe.h"
#include "models/scenarios.h"
#include "models/snapshotjson.h"
#include "store/database.h"
#include "store/historywindow.h"
#include "store/samplestore.h"
#include "ui/lagmodels.h"
#include "ui/lagpage.h"
#include "ui/layoutpage.h"
#include "ui/plannerpage.h"
#include "ui/pricingeditor.h"
#include "ui/topicspage.h"
#include "ui/trafficpage.h"
#include "ui/widgetutil.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QLocale>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <nlohmann/json.hpp>
#include <optional>
#include <qcustomplot.h>
#include <tuple>

using namespace kp;

namespace {

SnapshotPtr demo()
{
    return std::make_shared<const ClusterSnapshot>(loadSnapshotFile(KP_DEMO_SNAPSHOT));
}

// Two samples 10 s apart in a fresh store: payments-0 took 10,000 messages of the partition's bytes per message;
// every other partition stood still. Returns the later snapshot; the earlier one is in the store at `db`.
struct TwoSamples
{
    QTemporaryDir dir;
    QString db;
    double perMessage = 0;
    std::shared_ptr<ClusterSnapshot> after;
};
std::unique_ptr<TwoSamples> twoSamples()
{
    auto out = std::make_unique<TwoSamples>();
    out->db = out->dir.filePath(QStringLiteral("h.sqlite"));
    double &perMessage = out->perMessage;
    auto before = std::make_shared<ClusterSnapshot>(loadSnapshotFile(KP_DEMO_SNAPSHOT));
    auto after = std::make_shared<ClusterSnapshot>(*before);
    after->takenAtMs += 10000;
    TopicInfo *payments = nullptr;
    for (auto &t : after->topics)
        if (t.name == "payments")
            payments = &t;
    PartitionInfo *p = payments->findPartition(0);
    perMessage = double(p->sizeBytes()) / double(p->highWatermark - p->lowWatermark);
    p->highWatermark += 10000;
    for (auto &r : p->replicaSizes)
        r.sizeBytes += int64_t(10000 * perMessage);
    Database database(out->db);
    SampleStore store(database);
    store.record(*before);
    after->source = SnapshotSource::Live; // as a session collects it: its history is in the store
    out->after = after;
    return out;
}

} // namespace

// What a page's Save or Export button does with its bytes (ui::saveInBackground), waited for: the error, empty when
// written.
static QString saved(QObject *owner, const QString &path, const QByteArray &bytes)
{
    std::optional<QString> error;
    ui::saveInBackground(owner, path, bytes, [&](const QString &e) { error = e; });
    if (!QTest::qWaitFor([&] { return error.has_value(); }, 10000))
        return QStringLiteral("not written within 10 s");
    return *error;
}

class TestPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // user pricing copies go to a test location

    // Time lags the history cannot give, from the record read at the committed offset: its age at the snapshot's time,
    // the group's largest; a record that could not be read says why and stays unknown; caught up and known stay as they
    // were.
    // The chart shows what the table shows: where the end-offset table starts after the committed offset was written,
    // the first unconsumed record's age is the time lag at each point, marked as read from records (the line was
    // empty beside a table that said "1 min 37 s").
    void chartTimeLagFromRecords()
    {
        const TopicPartition tp{"events", 0};
        // A group stopped at offset 40 before the history starts at end offset 100 (time lag unknown from the table);
        // a second partition caught up (time lag 0 from the table).
        const PartitionHistory stopped{"events",
                                       0,
                                       {{10000, 40, -1}, {20000, 40, -1}, {30000, 40, -1}},
                                       {{10000, 100}, {20000, 110}, {30000, 120}}};
        const PartitionHistory caughtUp{
            "events", 1, {{10000, 7, -1}, {20000, 7, -1}, {30000, 7, -1}}, {{10000, 7}, {20000, 7}, {30000, 7}}};
        const auto without = lagSeries({stopped, caughtUp});
        QCOMPARE(without.size(), size_t(3));
        for (const auto &p : without) {
            QCOMPARE(p.maxTimeLagSeconds.value_or(-1), 0.0); // only the caught-up partition's 0
            QVERIFY(!p.timeLagFromRecords);
        }
        std::map<PartitionOffset, RecordTime> records{{{tp, 40}, {40, 4000, ""}}}; // written at 4 s
        const auto with = lagSeries({stopped, caughtUp}, &records);
        QCOMPARE(with.size(), size_t(3));
        for (size_t i = 0; i < with.size(); ++i) {
            QCOMPARE(with[i].totalLag, int64_t(60 + 10 * i));
            QCOMPARE(with[i].maxTimeLagSeconds.value_or(-1), double(with[i].timeMs - 4000) / 1000.0);
            QVERIFY(with[i].timeLagFromRecords);
        }
    }

    void recordTimesFillUnknownTimeLags()
    {
        const SnapshotPtr s = demo();
        LagData data = buildLagData(s, {}); // no history: every lagging partition's time lag is unknown
        const LagGroupRow *target = nullptr;
        for (const auto &g : data.groups)
            if (g.totalLag > 0 && data.partitions.at(g.group).size() >= 2 && !target)
                target = &g;
        QVERIFY(target);
        const std::string group = target->group;
        QVERIFY(!target->maxTimeLagSeconds);
        std::vector<const LagPartitionRow *> lagging;
        for (const auto &r : data.partitions.at(group))
            if (r.lag() > 0)
                lagging.push_back(&r);
        QVERIFY(lagging.size() >= 2);
        std::map<PartitionOffset, RecordTime> times;
        const PartitionOffset first{{lagging[0]->topic(), lagging[0]->partition()}, lagging[0]->committed()};
        const PartitionOffset second{{lagging[1]->topic(), lagging[1]->partition()}, lagging[1]->committed()};
        times[first] = {lagging[0]->committed(), data.nowMs - 90500, ""};
        times[second] = {-1, -1,
                         "not allowed to read the topic (it needs a Read ACL): Broker: Topic authorization failed"};
        times[{{"elsewhere", 0}, 5}] = {5, data.nowMs - 1000000, ""}; // no such partition: changes nothing
        QCOMPARE(applyRecordTimes(data, times), 1);
        const LagGroupRow *after = nullptr;
        for (const auto &g : data.groups)
            if (g.group == group)
                after = &g;
        QCOMPARE(after->maxTimeLagSeconds.value_or(-1), 90.5);
        for (const auto &r : data.partitions.at(group)) {
            const PartitionOffset key{{r.topic(), r.partition()}, r.committed()};
            if (key == first) {
                QCOMPARE(r.timeLagSeconds.value_or(-1), 90.5);
                QCOMPARE(r.timeLagNote(), "from the first record not consumed yet: offset " +
                                              std::to_string(r.committed()) + ", written " +
                                              formatIsoTime(data.nowMs - 90500));
            } else if (key == second) {
                QVERIFY(!r.timeLagSeconds);
                QCOMPARE(r.timeLagNote(),
                         std::string("the first record not consumed yet could not be read: not allowed "
                                     "to read the topic (it needs a Read ACL): Broker: Topic "
                                     "authorization failed"));
            } else if (r.lag() == 0) {
                QCOMPARE(r.timeLagSeconds.value_or(-1), 0.0);
            } else {
                QVERIFY(!r.timeLagSeconds);
            }
        }
        // A record stamped ahead of this clock is not behind at all; caught up is 0 s without any record.
        QCOMPARE(timeLagFromRecord(first.first, first.second, 3, {{first, {first.second, data.nowMs + 5000, ""}}},
                                   data.nowMs)
                     .seconds.value_or(-1),
                 0.0);
        QCOMPARE(timeLagFromRecord(first.first, first.second, 0, {}, data.nowMs).seconds.value_or(-1), 0.0);
        QCOMPARE(timeLagFromRecord(first.first, -1, 3, {}, data.nowMs).why, std::string("no committed offset"));
    }

    void modelsPassTheModelTester()
    {
        const SnapshotPtr s = demo();
        // The chart group's rows say why their status is what it is (the Status tooltip); other groups' rows, built
        // at every sample for 200,000 partitions on a large cluster, keep no such text.
        auto built = std::make_shared<LagData>(buildLagData(s, {}, {}, "trainer-v7-refresh"));
        for (const auto &[group, rows] : built->partitions)
            for (const auto &r : rows)
                QCOMPARE(r.reason().empty(), group != "trainer-v7-refresh");
        auto data = std::shared_ptr<const LagData>(built);
        LagGroupsModel groups;
        QSortFilterProxyModel groupsProxy;
        groupsProxy.setSourceModel(&groups);
        groupsProxy.setSortRole(kRawRole);
        LagPartitionsModel partitions;
        QSortFilterProxyModel partitionsProxy;
        partitionsProxy.setSourceModel(&partitions);
        partitionsProxy.setSortRole(kRawRole);
        QAbstractItemModelTester t1(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&groupsProxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(&partitionsProxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        groups.setData(data);
        QCOMPARE(groups.rowCount(), int(s->groups.size()));
        groupsProxy.sort(LagGroupsModel::TotalLag, Qt::DescendingOrder);
        // The biggest lag first, by its raw value (not its formatted text).
        int64_t biggest = 0;
        std::string biggestGroup;
        for (const auto &g : s->groups)
            if (g.totalLag() > biggest) {
                biggest = g.totalLag();
                biggestGroup = g.groupId;
            }
        QCOMPARE(groupsProxy.index(0, LagGroupsModel::Group).data().toString().toStdString(), biggestGroup);
        QCOMPARE(groupsProxy.index(0, LagGroupsModel::TotalLag).data(kRawRole).toLongLong(), qlonglong(biggest));
        // The members' tooltip is built when asked, from the snapshot the rows came from.
        const ConsumerGroup *withMembers = nullptr;
        for (const auto &g : s->groups)
            if (!withMembers && !g.members.empty())
                withMembers = &g;
        QVERIFY(withMembers);
        for (int r = 0; r < groups.rowCount(); ++r)
            if (groups.index(r, LagGroupsModel::Group).data().toString().toStdString() == withMembers->groupId)
                QCOMPARE(groups.index(r, LagGroupsModel::Members).data(Qt::ToolTipRole).toString().toStdString(),
                         memberSummary(*withMembers));
        QVERIFY(memberSummary(*withMembers).rfind(describeMember(withMembers->members.front()), 0) == 0);
        groupsProxy.setFilterRegularExpression(QStringLiteral("^search"));
        QCOMPARE(groupsProxy.rowCount(), 1);
        partitions.setRows(data, "trainer-v7-refresh");
        QCOMPARE(partitions.rowCount(), int(s->group("trainer-v7-refresh")->offsets.size()));
        QCOMPARE(partitions.index(0, LagPartitionsModel::Status).data(Qt::ToolTipRole).toString().toStdString(),
                 built->partitions.at("trainer-v7-refresh").front().reason());
        // Each row's owner is the member whose assignment holds it, named when shown.
        {
            const ConsumerGroup &g = *s->group("trainer-v7-refresh");
            std::map<std::pair<std::string, int>, std::string> owners;
            for (const auto &m : g.members)
                for (const auto &a : m.assignment)
                    owners[{a.topic, a.partition}] = m.clientId + "@" + m.host;
            QVERIFY(!owners.empty());
            int owned = 0;
            for (int r = 0; r < partitions.rowCount(); ++r) {
                const auto key =
                    std::make_pair(partitions.index(r, LagPartitionsModel::Topic).data().toString().toStdString(),
                                   partitions.index(r, LagPartitionsModel::Partition).data().toInt());
                const auto it = owners.find(key);
                owned += it != owners.end();
                QCOMPARE(partitions.index(r, LagPartitionsModel::Owner).data().toString().toStdString(),
                         it == owners.end() ? std::string("(unassigned)") : it->second);
            }
            QCOMPARE(owned, int(owners.size()));
        }
        partitionsProxy.sort(LagPartitionsModel::Lag, Qt::DescendingOrder);
        QVERIFY(partitionsProxy.index(0, LagPartitionsModel::Lag).data(kRawRole).toLongLong() >=
                partitionsProxy.index(1, LagPartitionsModel::Lag).data(kRawRole).toLongLong());
        // Without history: lags exact, statuses and time lags unknown, never invented.
        QCOMPARE(groups.index(0, LagGroupsModel::Status).data().toString(), QStringLiteral("UNKNOWN"));
        QCOMPARE(partitions.index(0, LagPartitionsModel::TimeLag).data().toString(), QStringLiteral("unknown"));
        groups.setData(nullptr);
        partitions.setRows(nullptr, {});
        QCOMPARE(groupsProxy.rowCount(), 0);
    }

    void layoutFiltersSearchAndDetails()
    {
        LayoutPage page;
        page.resize(1400, 800);
        page.show();
        QSignalSpy shown(&page, &LayoutPage::layoutShown);
        page.setSnapshot(demo());
        QVERIFY(shown.wait(10000));
        LayoutView *view = page.view();
        QCOMPARE(view->rowCount(), 451);
        QCOMPARE(view->columnCount(), 6);
        auto *topic = page.findChild<QLineEdit *>(QStringLiteral("layoutTopicFilter"));
        auto *state = page.findChild<QComboBox *>(QStringLiteral("layoutStateFilter"));
        topic->setText(QStringLiteral("^payments$"));
        QCOMPARE(view->rowCount(), int(demo()->topic("payments")->partitions.size()));
        state->setCurrentIndex(int(LayoutView::State::RackViolation));
        QCOMPARE(view->rowCount(), 1);
        topic->clear();
        QCOMPARE(view->rowCount(), 1); // still the one violation
        state->setCurrentIndex(int(LayoutView::State::UnderReplicated));
        QCOMPARE(view->rowCount(), 1);
        state->setCurrentIndex(int(LayoutView::State::Offline));
        QCOMPARE(view->rowCount(), 0);
        state->setCurrentIndex(0);
        topic->setText(QStringLiteral("(")); // not a regex: said, and the rows stay
        QCOMPARE(view->rowCount(), 451);
        QVERIFY(topic->toolTip().startsWith(QStringLiteral("Not a valid regular expression")));
        topic->clear();
        // Search and details: payments-5 shares a rack.
        QVERIFY(page.search(QStringLiteral("payments-5")));
        QVERIFY2(view->selectionText().startsWith(QStringLiteral("payments-5 on broker ")),
                 qPrintable(view->selectionText()));
        QVERIFY(view->selectionText().contains(QStringLiteral("replicas share a rack")));
        QVERIFY(!page.search(QStringLiteral("payments-999")));
        // A click on a cell selects it: the out-of-sync replica of training.samples.v7-17.
        QVERIFY(page.search(QStringLiteral("training.samples.v7-17")));
        const PartitionInfo *urp = demo()->topic("training.samples.v7")->findPartition(17);
        int32_t outOfSync = -1;
        for (int32_t r : urp->replicas)
            if (std::find(urp->isr.begin(), urp->isr.end(), r) == urp->isr.end())
                outOfSync = r;
        QVERIFY(outOfSync >= 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->cellRect(view->selectedRow(), view->columnOf(outOfSync)).center());
        QVERIFY2(
            view->selectionText().startsWith(QStringLiteral("training.samples.v7-17 on broker %1 ").arg(outOfSync)),
            qPrintable(view->selectionText()));
        QVERIFY(view->selectionText().contains(QStringLiteral("follower, OUT OF SYNC")));
        // A click on the leader's cell says so.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->cellRect(view->selectedRow(), view->columnOf(urp->leader)).center());
        QVERIFY(view->selectionText().contains(QStringLiteral(": leader, in sync")));
    }

    // The Topics page follows every sample of the live cluster (messages, sizes), the chosen topic staying chosen; a
    // sample of another cluster, or while a file is shown, changes nothing.
    void topicsPageFollowsSamples()
    {
        const QLocale was;
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const auto restore = qScopeGuard([&] { QLocale::setDefault(was); });
        const auto samples = twoSamples();
        auto before = std::make_shared<ClusterSnapshot>(*demo());
        before->source = SnapshotSource::Live;
        ClusterContext context(samples->db);
        TopicsPage page(&context);
        page.show();
        context.show(before);
        auto row = [&](const char *topic) {
            const auto found = page.findItems(QString::fromLatin1(topic), Qt::MatchExactly, 0);
            return found.size() == 1 ? found.front() : nullptr;
        };
        QVERIFY(row("payments") && row("orders"));
        // Retention as a duration, the raw value in the tooltip; forever sorts after every duration.
        QCOMPARE(row("orders")->text(7), QStringLiteral("7 d"));
        QCOMPARE(row("orders")->toolTip(7), QStringLiteral("retention.ms = 604800000"));
        QCOMPARE(row("audit.log")->text(7), QStringLiteral("90 d"));
        QCOMPARE(row("features.item-stats")->text(7), QStringLiteral("forever"));
        page.sortItems(7, Qt::AscendingOrder);
        QVERIFY(*row("audit.log") < *row("features.item-stats") && *row("orders") < *row("audit.log"));
        page.sortItems(0, Qt::AscendingOrder);
        const int64_t messages = before->topic("payments")->messageCount();
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages);
        // Counts read as the Lag page's do: digits grouped by the user's locale (here US English).
        QVERIFY2(messages >= 1000000, qPrintable(QString::number(messages)));
        QCOMPARE(row("payments")->text(3),
                 QLocale(QLocale::English, QLocale::UnitedStates).toString(qlonglong(messages)));
        QVERIFY(row("payments")->text(3).contains(QLatin1Char(',')));
        page.setCurrentItem(row("orders"));
        QSignalSpy taken(&context, &ClusterContext::sampleTaken); // the merge runs on a pool thread
        // Only the cells that changed are set: the sample moves payments' messages and size, nothing else.
        QSignalSpy changed(page.model(), &QAbstractItemModel::dataChanged);
        context.addSample(samples->after, 0);
        QVERIFY(taken.wait(10000));
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages + 10000);
        QCOMPARE(page.currentItem()->text(0), QStringLiteral("orders"));
        QSet<QString> changedTopics;
        for (const auto &args : changed)
            changedTopics.insert(page.model()->index(args[0].toModelIndex().row(), 0).data().toString());
        QCOMPARE(changedTopics, QSet<QString>{QStringLiteral("payments")});
        QVERIFY2(changed.size() <= 6, qPrintable(QString::number(changed.size()))); // text, value, tooltip: 2 columns
        // Hidden, the page leaves its rows as they are until it is shown again, after a refresh as after a sample.
        page.hide();
        context.show(before);
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages + 10000);
        page.show();
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages);
        page.hide();
        context.addSample(samples->after, 0);
        QVERIFY(taken.wait(10000));
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages);
        page.show();
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages + 10000);
        // What a cell no longer says is cleared: a config gone from the topic empties its cell and its tooltip.
        auto fewerConfigs = std::make_shared<ClusterSnapshot>(*samples->after);
        for (auto &t : fewerConfigs->topics)
            if (t.name == "orders")
                t.configs.erase("retention.ms");
        QVERIFY(!row("orders")->toolTip(7).isEmpty());
        context.show(fewerConfigs);
        QCOMPARE(row("orders")->text(7), QString());
        QCOMPARE(row("orders")->toolTip(7), QString());
        QVERIFY(!row("orders")->data(7, Qt::UserRole).isValid());
        taken.clear();
        auto other = std::make_shared<ClusterSnapshot>(*samples->after);
        other->clusterId = "another-cluster";
        for (auto &p : other->topics.front().partitions)
            p.highWatermark += 1;
        context.addSample(other, 0);
        QCOMPARE(taken.size(), 1); // another cluster's: nothing to merge, taken at once
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages + 10000);
        context.show(demo()); // a file: samples are not its own
        context.addSample(samples->after, 0);
        QCOMPARE(taken.size(), 2);
        QCOMPARE(row("payments")->data(3, Qt::UserRole).toLongLong(), messages);
        // A refresh is a sample too: the snapshot shown is the one stored, nothing to merge into itself (the merge
        // waited behind every page's rebuild for the pool, a second at 50,000 partitions): taken at once.
        auto refreshed = std::make_shared<ClusterSnapshot>(*samples->after);
        refreshed->source = SnapshotSource::Live;
        context.show(refreshed);
        QSignalSpy merged(&context, &ClusterContext::sampleMerged);
        context.addSample(refreshed, 0);
        QCOMPARE(taken.size(), 3);
        QCOMPARE(merged.size(), 0);
        QCOMPARE(context.snapshot(), SnapshotPtr(refreshed));
    }

    void plannerReplaysChosenTopics()
    {
        const auto samples = twoSamples();
        ClusterContext context(samples->db);
        PlannerPage page(&context);
        QSignalSpy derived(&page, &PlannerPage::workloadDerived);
        context.show(samples->after);
        page.deriveFromCluster();
        QVERIFY(derived.wait(10000));
        // 1,000 messages/s of payments: the whole workload.
        const double expected = 1000 * samples->perMessage / 1e6;
        QVERIFY(std::abs(page.planFile().workload.writeMBps - expected) < 1e-3 * expected);
        auto *topics = page.findChild<QLineEdit *>(QStringLiteral("plannerReplayTopics"));
        page.setScenario(PlannerPage::Scenario::Replay, Architecture::Dedicated);
        QVERIFY(page.scenario());
        const double all = page.scenario()->metric("bytes")->value;
        topics->setText(QStringLiteral("^payments$"));
        QVERIFY(page.scenario());
        QCOMPARE(page.scenario()->metric("bytes")->value, all); // its share is 1
        topics->setText(QStringLiteral("^orders$"));
        QVERIFY(!page.scenario());
        auto *results = page.findChild<QTreeWidget *>(QStringLiteral("plannerScenarioResults"));
        QCOMPARE(results->topLevelItem(0)->text(2),
                 QStringLiteral("no topic matching it produced anything in the recorded history"));
    }

    // A time range instead of N days: its length is the window; one that ends before it starts, or starts before the
    // retention reaches back, is refused with the reason.
    void plannerReplaysATimeRange()
    {
        ClusterContext context({});
        PlannerPage page(&context);
        PlanFile plan;
        plan.workload.writeMBps = 100;
        plan.workload.retentionHours = 72;
        page.setPlanFile(plan);
        page.setScenario(PlannerPage::Scenario::Replay, Architecture::Dedicated);
        QVERIFY(page.scenario());
        auto *range = page.findChild<QCheckBox *>(QStringLiteral("plannerReplayRange"));
        auto *from = page.findChild<QDateTimeEdit *>(QStringLiteral("plannerReplayFrom"));
        auto *to = page.findChild<QDateTimeEdit *>(QStringLiteral("plannerReplayTo"));
        QVERIFY(range && from && to);
        const QDateTime end = QDateTime::currentDateTime().addSecs(-3600);
        to->setDateTime(end);
        from->setDateTime(end.addSecs(-36 * 3600)); // 36 hours
        range->setChecked(true);
        QVERIFY(page.scenario());
        QVERIFY(std::abs(page.scenario()->metric("bytes")->value - 100 * 36 * 3.6) < 100 * 3.6 / 60); // to the minute
        from->setDateTime(end.addSecs(3600));
        QVERIFY(!page.scenario());
        auto *results = page.findChild<QTreeWidget *>(QStringLiteral("plannerScenarioResults"));
        QCOMPARE(results->topLevelItem(0)->text(2), QStringLiteral("time range: it must end after it starts"));
        from->setDateTime(end.addDays(-4));
        QVERIFY(!page.scenario());
        QCOMPARE(results->topLevelItem(0)->text(2),
                 QStringLiteral("time range: it starts before the retention (72 h) reaches back: that data is gone"));
    }

    void trafficPageFromARecordedHistory()
    {
        const auto samples = twoSamples();
        const QString db = samples->db;
        const double perMessage = samples->perMessage;
        const auto after = samples->after;
        ClusterContext context(db);
        TrafficPage page(&context);
        page.resize(1400, 800);
        page.show();
        QSignalSpy shown(&page, &TrafficPage::trafficShown);
        context.show(after);
        QVERIFY(shown.wait(10000));
        const Traffic *t = page.traffic();
        QCOMPARE(t->azs.size(), size_t(3));
        QVERIFY(t->racksKnown);
        // 1,000 messages/s; each crosses to its two followers in other AZs (payments has RF 3 and, for partition 0,
        // three racks).
        const TopicTraffic &payments = t->topics.at("payments");
        QVERIFY2(std::abs(payments.produced - 1000 * perMessage) < 0.01 * 1000 * perMessage,
                 std::to_string(payments.produced).c_str());
        QVERIFY(std::abs(payments.replicationCross - 2 * payments.produced) < 1e-6 * payments.produced);
        QCOMPARE(t->replication.crossAz(), payments.replicationCross); // nothing else moved
        auto *matrix = page.findChild<QTableWidget *>(QStringLiteral("trafficReplication"));
        QCOMPARE(matrix->rowCount(), 3);
        double cells = 0;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                if (r != c)
                    cells += matrix->item(r, c)->data(Qt::UserRole).toDouble();
        QVERIFY(std::abs(cells - payments.replicationCross) < 1e-6);
        // A malformed client AZ rule is refused with the reason, nothing recomputed.
        page.setClientAzRules(QStringLiteral("10.0.0.0/40=az-a"));
        auto *rules = page.findChild<QLineEdit *>(QStringLiteral("trafficClientAzs"));
        QVERIFY2(rules->toolTip().contains(QStringLiteral("bad prefix length")), qPrintable(rules->toolTip()));
    }

    // A probe result opens beside the existing cluster's replay of its window: the window's bytes size the replay, and
    // the four figures come out predicted against observed with what explains the difference.
    void plannerOpensAProbeResult()
    {
        ProbeResult probe;
        probe.clusterId = demo()->clusterId;
        probe.request.topicRegex = "^payments$";
        probe.request.maxBytes = 1000000000;
        probe.request.maxSeconds = 60;
        probe.startedAtMs = demo()->takenAtMs;
        probe.seconds = 10;
        probe.firstByteMs = 0;
        probe.stoppedBy = "complete";
        probe.bytes = 40000000;
        probe.crossAzBytes = 20000000;
        probe.partitions = {{"payments", 0, 1, 0, 100000, 100000, 100000, 40000000, 0, -1, 500.0, 5, true, {}}};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("probe.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(probeResultToJson(probe).dump()));
        f.close();
        ClusterContext context({});
        PlannerPage page(&context);
        page.show();
        context.show(demo());
        QSignalSpy shown(&page, &PlannerPage::probeShown);
        page.openProbe(path);
        QVERIFY(shown.wait(10000));
        QVERIFY(page.replaysRun());
        const auto &c = page.probeComparison();
        QVERIFY(c && c->checks.size() == 4);
        QCOMPARE(c->checks[0].observed, 5.0);   // 50 MB on disk in 10 s
        QCOMPARE(c->checks[2].predicted, 0.05); // the window: 100,000 offsets x 500 bytes
        QVERIFY(!c->explanation.empty());
        auto *figures = page.findChild<QTreeWidget *>(QStringLiteral("plannerScenarioResults"));
        QVERIFY(!figures->findItems(QStringLiteral("observed by the probe of ^payments$"), Qt::MatchExactly).isEmpty());
        // A file that is not a probe result is refused, naming why.
        QSignalSpy failed(&page, &PlannerPage::probeFailed);
        page.openProbe(QStringLiteral(KP_DEMO_SNAPSHOT));
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("not a replay probe result")),
                 qPrintable(failed.first().first().toString()));
    }

    void plannerPageFromTheDemoSnapshot()
    {
        ClusterContext context({});
        PlannerPage page(&context);
        page.resize(1200, 760); // the page's share of a 1400 x 900 window
        page.show();
        QVERIFY(page.plan()); // the defaults price at once
        // The cost table has room for every architecture's total and most of its items (it was 10 rows high).
        auto *costs = page.findChild<QTreeWidget *>(QStringLiteral("plannerResults"));
        QTRY_VERIFY(costs->isVisible());
        const int rowHeight = costs->visualItemRect(costs->topLevelItem(0)).height();
        QVERIFY2(costs->viewport()->height() >= 20 * rowHeight,
                 qPrintable(QStringLiteral("%1 px for rows of %2").arg(costs->viewport()->height()).arg(rowHeight)));
        QSignalSpy derived(&page, &PlannerPage::workloadDerived);
        const SnapshotPtr s = demo();
        context.show(s);
        page.deriveFromCluster();
        QVERIFY(derived.wait(10000));
        // Derived from the snapshot: its user partitions, racks, brokers and bytes on disk; no history, no rate.
        const PlanFile f = page.planFile();
        int partitions = 0;
        int64_t bytes = 0;
        for (const auto &t : s->topics)
            if (!t.internal) {
                partitions += int(t.partitions.size());
                bytes += t.replicatedBytes();
            }
        QCOMPARE(f.workload.partitions, partitions);
        QCOMPARE(f.workload.azs, 3);
        QCOMPARE(f.settings.existingBrokers, 6);
        QVERIFY(std::abs(f.workload.storedGB - double(bytes) / 1e9) < 0.1);
        QCOMPARE(f.workload.writeMBps, 0.0);
        // What the page shows is the cost model's answer for the same inputs.
        auto *write = page.findChild<QDoubleSpinBox *>(QStringLiteral("plannerWrite"));
        write->setValue(100);
        const PlanFile now = page.planFile();
        const Plan expected =
            planCosts(now.workload, now.settings, loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json"));
        QVERIFY(page.plan());
        QCOMPARE(page.plan()->architectures.size(), size_t(4));
        for (size_t i = 0; i < 4; ++i)
            QCOMPARE(page.plan()->architectures[i].total(), expected.architectures[i].total());
        auto *results = page.findChild<QTreeWidget *>(QStringLiteral("plannerResults"));
        QCOMPARE(results->topLevelItemCount(), 4);
        // Scenarios and charts from the same plan.
        page.setScenario(PlannerPage::Scenario::Replay, Architecture::Tiered);
        QVERIFY(page.scenario());
        const ScenarioResult replayed =
            replay(expected, Architecture::Tiered, {}, loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json"));
        QCOMPARE(page.scenario()->metric("duration")->value, replayed.metric("duration")->value);
        page.setScenario(PlannerPage::Scenario::Scale, Architecture::SharedStorage);
        QCOMPARE(page.scenario()->metric("data moved")->value, 0.0);
        // The existing cluster's scale also gets the bytes the shown layout would move (3 brokers added, 100 MB/s: the
        // page's defaults), computed on a worker and added beside the formula's.
        QSignalSpy layoutFigures(&page, &PlannerPage::layoutFiguresShown);
        page.setScenario(PlannerPage::Scenario::Scale, Architecture::Existing);
        QVERIFY(page.scenario()->metric("data moved"));
        QVERIFY(layoutFigures.wait(10000));
        ScenarioResult fromLayout;
        addLayoutFigures(fromLayout, *s, 3, 100);
        QVERIFY(fromLayout.metric("data moved (layout)")->value > 0);
        QCOMPARE(page.scenario()->metric("data moved (layout)")->value,
                 fromLayout.metric("data moved (layout)")->value);
        QCOMPARE(page.scenario()->metric("time (layout)")->value, fromLayout.metric("time (layout)")->value);
        // So does the existing cluster's broker loss: the bytes its most loaded broker's replicas hold.
        QSignalSpy lossFigures(&page, &PlannerPage::layoutFiguresShown);
        page.setScenario(PlannerPage::Scenario::Failure, Architecture::Existing);
        QVERIFY(lossFigures.wait(10000));
        ScenarioResult loss = *page.scenario();
        loss.metrics.erase(std::remove_if(loss.metrics.begin(), loss.metrics.end(),
                                          [](const Metric &m) { return m.name.find("(layout)") != std::string::npos; }),
                           loss.metrics.end());
        addLossFigures(loss, *s, 100);
        QVERIFY(loss.metric("recovery bytes (layout)")->value > 0);
        QCOMPARE(page.scenario()->metric("recovery bytes (layout)")->value,
                 loss.metric("recovery bytes (layout)")->value);
        QCOMPARE(page.scenario()->metric("recovery time (layout)")->value,
                 loss.metric("recovery time (layout)")->value);
        page.setChart(PlannerPage::Chart::CostAgainstRetention);
        QVERIFY(page.chartSeriesPoints() >= 4 * 30);
        page.setChart(PlannerPage::Chart::ReplayDuration);
        QVERIFY(page.chartSeriesPoints() > 10);
        // The cheapest new architecture over a 40 x 40 grid of write rates and retentions: every cell is the
        // argmin of the plan at that point; the corner cell checked against a plan made directly.
        page.setChart(PlannerPage::Chart::CheapestByRateAndRetention);
        QCOMPARE(page.chartSeriesPoints(), 1600);
        auto *map = page.findChild<QCPColorMap *>(QStringLiteral("plannerCheapestMap"));
        QVERIFY(map);
        // The legend lies below the plot, never over it, and names what is drawn: three colours and this workload.
        auto *chart = page.findChild<QCustomPlot *>();
        QCOMPARE(chart->legend->layout(), static_cast<QCPLayout *>(chart->plotLayout()));
        auto legendEntries = [chart] {
            QStringList names; // the grid's cells, empty ones left out
            for (int i = 0; i < chart->legend->itemCount(); ++i)
                if (auto *item = qobject_cast<QCPPlottableLegendItem *>(chart->legend->item(i)))
                    names << item->plottable()->name();
            return names;
        };
        QCOMPARE(legendEntries(),
                 (QStringList{QStringLiteral("dedicated Kafka cluster"), QStringLiteral("Kafka with tiered storage"),
                              QStringLiteral("shared-storage platform (stateless brokers)"),
                              QStringLiteral("this workload")}));
        QVERIFY(!chart->legend->hasItemWithPlottable(map));
        {
            const double w = now.workload.writeMBps, days = now.workload.retentionHours / 24;
            Workload corner = now.workload;
            corner.writeMBps = std::max(10.0, 4 * w);
            corner.peakWriteMBps = now.workload.peakWriteMBps / now.workload.writeMBps * corner.writeMBps;
            corner.retentionHours = std::max(30.0, 2 * days) * 24;
            corner.storedGB = -1;
            const Plan p = planCosts(corner, now.settings, loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json"));
            size_t best = 1;
            for (size_t a = 2; a < 4; ++a)
                if (p.architectures[a].total() < p.architectures[best].total())
                    best = a;
            QCOMPARE(map->data()->cell(39, 39), double(best));
        }
        page.setChart(PlannerPage::Chart::MonthlyCost);
        QCOMPARE(page.chartSeriesPoints(), 4);
        QCOMPARE(legendEntries(), (QStringList{QStringLiteral("compute"), QStringLiteral("block storage"),
                                               QStringLiteral("object storage"), QStringLiteral("object requests"),
                                               QStringLiteral("cross-AZ transfer")}));
        // The bars' names fit under their bars: no line over 19 characters, nothing dropped.
        {
            auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(chart->xAxis->ticker());
            QVERIFY(ticker);
            QStringList names;
            for (const QString &label : ticker->ticks()) {
                for (const QString &line : label.split(QLatin1Char('\n')))
                    QVERIFY2(line.size() <= 19, qPrintable(line));
                names << QString(label).replace(QLatin1Char('\n'), QLatin1Char(' '));
            }
            QCOMPARE(names, (QStringList{QStringLiteral("existing cluster"), QStringLiteral("dedicated Kafka cluster"),
                                         QStringLiteral("Kafka with tiered storage"),
                                         QStringLiteral("shared-storage platform (stateless brokers)")}));
            QCOMPARE(ui::wrapWords(QStringLiteral("dedicated Kafka cluster"), 18),
                     QStringLiteral("dedicated Kafka\ncluster"));
            QCOMPARE(ui::wrapWords(QStringLiteral("shared-storage platform (stateless brokers)"), 18),
                     QStringLiteral("shared-storage\nplatform\n(stateless brokers)"));
            QCOMPARE(ui::wrapWords(QStringLiteral("averyveryverylongword x"), 5),
                     QStringLiteral("averyveryverylongword\nx"));
        }
        // Saved and reopened: the same inputs.
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("p.kpplan.json"));
        error = saved(&page, path, page.planText());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        write->setValue(5);
        QVERIFY2(page.openPlan(path, &error), qPrintable(error));
        QCOMPARE(page.planFile().workload.writeMBps, 100.0);
        QCOMPARE(planFileToJson(page.planFile()), planFileToJson(now));
        // A broken plan file is refused with the field.
        QFile broken(dir.filePath(QStringLiteral("broken.kpplan.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(R"({"format": "kafka-planner-plan", "version": 1, "workload": {"writeMBps": -3}})");
        broken.close();
        QVERIFY(!page.openPlan(broken.fileName(), &error));
        QVERIFY2(error.endsWith(QStringLiteral("workload.retentionHours: missing")), qPrintable(error));
        // Exports.
        const QString csv = dir.filePath(QStringLiteral("p.csv"));
        error = saved(&page, csv, page.csv());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = c.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("architecture,brokers,instance,item,monthly,currency,formula"));
        QString written = QStringLiteral("not yet");
        ui::saveImageInBackground(&page, dir.filePath(QStringLiteral("p.png")), page.chartImage(),
                                  [&](const QString &e) { written = e; });
        QTRY_COMPARE_WITH_TIMEOUT(written, QString(), 10000);
        QCOMPARE(QImage(dir.filePath(QStringLiteral("p.png"))).size(), QSize(1200, 600));
        QVERIFY(page.exportPdf(dir.filePath(QStringLiteral("p.pdf"))));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("p.pdf"))).size() > 1000);
    }

    void pricingCopiedAndEditedInTheApp()
    {
        ClusterContext context({});
        PlannerPage page(&context);
        QString error;
        const QString path = page.copyPricingForEditing(&error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QVERIFY(path.startsWith(PricingEditor::userDirectory()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        PricingEditor editor(path);
        QTRY_COMPARE_WITH_TIMEOUT(editor.text().toUtf8(), before, 10000); // read on a worker
        auto doc = nlohmann::json::parse(before.toStdString());
        doc["prices"]["crossAzPerGB"]["date"] = "last week";
        editor.setText(QString::fromStdString(doc.dump(2)));
        QVERIFY(!editor.save());
        QCOMPARE(editor.error(),
                 QStringLiteral("Not saved: prices.crossAzPerGB.date: must be a date written YYYY-MM-DD"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before); // nothing lost
        f.close();
        doc["prices"]["crossAzPerGB"]["date"] = "2026-11-26";
        doc["prices"]["crossAzPerGB"]["value"] = 0.05;
        editor.setText(QString::fromStdString(doc.dump(2)));
        QSignalSpy saved(&editor, &PricingEditor::saved);
        QVERIFY2(editor.save(), qPrintable(editor.error()));
        QVERIFY2(saved.wait(10000), qPrintable(editor.error())); // written on a worker
        page.usePricing(path);
        QVERIFY(page.plan());
        for (const auto &l : page.plan()->architectures[1].lines)
            if (l.item == "cross-AZ transfer")
                QVERIFY2(l.formula.find("x 0.0500 per GB") != std::string::npos, l.formula.c_str());
        // The profile is read when chosen, not from disk on the GUI thread at each change of an input: the file spoilt
        // behind the page's back changes nothing until it is chosen again, which says what is wrong with it.
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{");
        f.close();
        auto *write = page.findChild<QDoubleSpinBox *>(QStringLiteral("plannerWrite"));
        write->setValue(write->value() + 1);
        QVERIFY2(page.plan() && page.error().isEmpty(), qPrintable(page.error()));
        page.usePricing(path);
        QVERIFY(!page.plan());
        QVERIFY2(page.error().startsWith(path), qPrintable(page.error()));
        // A file that can be neither read nor written (its folder is a file): both said, the dialog stays open.
        const QString nowhere = path + QStringLiteral("/inside.json");
        PricingEditor stuck(nowhere);
        QSignalSpy loaded(&stuck, &PricingEditor::loaded);
        QVERIFY(loaded.wait(10000));
        QVERIFY2(stuck.error().startsWith(nowhere + QStringLiteral(": ")), qPrintable(stuck.error()));
        stuck.setText(QString::fromStdString(doc.dump(2)));
        QSignalSpy stuckSaved(&stuck, &PricingEditor::saved);
        QVERIFY(stuck.save());
        QTRY_VERIFY_WITH_TIMEOUT(stuck.error().startsWith(QStringLiteral("Not saved: ")), 10000);
        QCOMPARE(stuckSaved.count(), 0);
        QFile::remove(path);
    }

    // Issue 14 item 3 on the page: dq-gate's committed offsets go back 2,000 on each of its 6 partitions at one sample
    // and are back at the end two samples later: the chart shades the wave, the note above it measures it.
    void lagPageShowsARefreshWave()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("h.sqlite"));
        const ClusterSnapshot base = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        auto at = [&](int64_t seconds, int64_t back) {
            auto s = std::make_shared<ClusterSnapshot>(base);
            s->takenAtMs += seconds * 1000;
            for (auto &o : s->groups[4].offsets) { // dq-gate, caught up in the demo
                o.committed -= back;
                o.lag += back;
            }
            return s;
        };
        QCOMPARE(base.groups[4].groupId, std::string("dq-gate"));
        {
            Database database(db);
            SampleStore store(database);
            store.record(*at(0, 0));
            store.record(*at(10, 2000)); // the rewind
            store.record(*at(20, 0));    // caught up
        }
        auto now = at(30, 0);
        now->source = SnapshotSource::Live;
        ClusterContext context(db);
        LagPage page(&context);
        page.resize(1400, 800);
        page.show();
        context.show(now);
        QTRY_VERIFY_WITH_TIMEOUT(page.chooseGroup(QStringLiteral("dq-gate")) && page.waveMarked(), 10000);
        const QString text = page.waveText();
        QVERIFY2(text.contains(QStringLiteral("rewound %1 messages").arg(QLocale().toString(qlonglong(12000)))),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("%1 messages replayed").arg(QLocale().toString(qlonglong(12000)))),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("caught up at")), qPrintable(text));
        // Four points (three samples and the snapshot): a line, without the lone point's dot.
        QCOMPARE(page.chartPoints(), 4);
        QVERIFY(page.findChild<QCustomPlot *>()->graph(0)->scatterStyle().isNone());
        // Another group: no wave, nothing marked.
        QVERIFY(page.chooseGroup(QStringLiteral("payments-audit")));
        QTRY_VERIFY_WITH_TIMEOUT(!page.waveMarked() && page.waveText().isEmpty(), 10000);
    }

    // The window's first read (a week of a 50,000-partition cluster: 4.4 s) does not hold the rows back: they come from
    // the snapshot at once, lags exact, statuses unknown and the note saying the history is being read; once it is
    // read, the rows are built again with it. Here the read waits for the history turn, which the test holds.
    void lagRowsComeBeforeTheHistoryIsRead()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("h.sqlite"));
        const ClusterSnapshot base = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        {
            Database database(db);
            SampleStore store(database);
            for (int i = 0; i < 3; ++i) {
                ClusterSnapshot s = base;
                s.takenAtMs += i * 10000;
                store.record(s);
            }
        }
        auto now = std::make_shared<ClusterSnapshot>(base);
        now->takenAtMs += 30000;
        now->source = SnapshotSource::Live;
        ClusterContext context(db);
        LagPage page(&context);
        page.resize(1400, 800);
        page.show();
        QSignalSpy shown(&page, &LagPage::dataShown);
        std::unique_lock turn(heavyHistoryTurn());
        context.show(now);
        QVERIFY(shown.wait(10000));
        QVERIFY(page.historyPending());
        QVERIFY(!page.data()->hasHistory);
        QCOMPARE(page.groupsModel()->rowCount(), int(now->groups.size()));
        std::map<std::string, int64_t> lags;
        for (const auto &g : page.data()->groups) {
            QCOMPARE(g.status, GroupStatus::Unknown);
            lags[g.group] = g.totalLag;
        }
        QCOMPARE(lags.at(now->groups.front().groupId), now->groups.front().totalLag());
        auto *note = page.findChild<QLabel *>(QStringLiteral("lagNote"));
        QVERIFY2(note->text().startsWith(QStringLiteral("Reading the recorded history of the last")),
                 qPrintable(note->text()));
        auto *plot = page.findChild<QCustomPlot *>();
        QTRY_COMPARE_WITH_TIMEOUT(plot->xAxis->label(), QStringLiteral("one point: the recorded history is being read"),
                                  10000);
        turn.unlock();
        QTRY_VERIFY_WITH_TIMEOUT(!page.historyPending(), 10000);
        QVERIFY(page.data()->hasHistory);
        QVERIFY(std::any_of(page.data()->groups.begin(), page.data()->groups.end(),
                            [](const LagGroupRow &g) { return g.status != GroupStatus::Unknown; }));
        for (const auto &g : page.data()->groups)
            QCOMPARE(g.totalLag, lags.at(g.group));
        QVERIFY2(note->text().startsWith(QStringLiteral("Statuses and time lags from the recorded history")),
                 qPrintable(note->text()));
        QTRY_COMPARE_WITH_TIMEOUT(plot->xAxis->label(), QString(), 10000); // the three samples and the snapshot
    }

    // A store the window cannot read (not a database): the rows still come, the note says why, and the read waits for
    // the next snapshot to be tried again rather than going round in a loop.
    void lagRowsSayWhyTheHistoryCannotBeRead()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("h.sqlite"));
        {
            QFile f(db);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        }
        auto now = std::make_shared<ClusterSnapshot>(loadSnapshotFile(KP_DEMO_SNAPSHOT));
        now->source = SnapshotSource::Live;
        ClusterContext context(db);
        LagPage page(&context);
        page.show();
        QSignalSpy shown(&page, &LagPage::dataShown);
        context.show(now);
        auto *note = page.findChild<QLabel *>(QStringLiteral("lagNote"));
        QTRY_VERIFY_WITH_TIMEOUT(note->text().startsWith(QStringLiteral("The lag history could not be read")), 10000);
        QVERIFY2(note->text().contains(QStringLiteral("tried again at the next sample")), qPrintable(note->text()));
        QVERIFY(page.historyPending());
        QCOMPARE(page.groupsModel()->rowCount(), int(now->groups.size()));
        const auto builds = shown.count();
        QTest::qWait(1500);
        QCOMPARE(shown.count(), builds);
        auto next = std::make_shared<ClusterSnapshot>(*now);
        next->takenAtMs += 10000;
        context.show(next); // tried again: the note says it once more
        QVERIFY(shown.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= builds + 2, 10000);
        QVERIFY(note->text().startsWith(QStringLiteral("The lag history could not be read")));
    }

    // The Lag page's groups sort and filter themselves (10,000 groups): a column sorts by its raw value, ties by name
    // A to Z; the filter is an expression on the name; a new sample keeps the chosen group chosen wherever it moves.
    void lagGroupsSortFilterAndKeepTheChosenGroup()
    {
        auto data = [](std::vector<std::tuple<std::string, int64_t, int>> rows) {
            auto d = std::make_shared<LagData>();
            for (const auto &[name, lag, members] : rows) {
                LagGroupRow r;
                r.group = name;
                r.totalLag = lag;
                r.members = members;
                d->groups.push_back(r);
            }
            return std::shared_ptr<const LagData>(d);
        };
        LagGroupsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&model);
        auto names = [&] { // the rows shown, by name
            QStringList n;
            for (int r = 0; r < model.rowCount(); ++r)
                n << QString::fromStdString(model.row(r)->group);
            return n.join(QLatin1Char(' '));
        };
        model.setData(data({{"b-etl", 5, 2}, {"a-etl", 5, 1}, {"Train", 90, 3}, {"serve", -1, 0}}));
        QCOMPARE(names(), QStringLiteral("Train a-etl b-etl serve")); // total lag, most first
        model.sort(LagGroupsModel::Group, Qt::AscendingOrder);
        QCOMPARE(names(), QStringLiteral("Train a-etl b-etl serve"));
        model.sort(LagGroupsModel::Members, Qt::DescendingOrder);
        QCOMPARE(names(), QStringLiteral("Train b-etl a-etl serve"));
        QCOMPARE(model.index(1, LagGroupsModel::Members).data(kRawRole).toInt(), 2);

        model.sort(LagGroupsModel::TotalLag, Qt::DescendingOrder);
        view.selectionModel()->setCurrentIndex(model.index(model.rowOf("b-etl"), 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(view.selectionModel()->currentIndex().row(), 2);
        model.setData(data({{"b-etl", 500, 2}, {"a-etl", 5, 1}, {"Train", 90, 3}, {"serve", -1, 0}})); // a sample
        QCOMPARE(names(), QStringLiteral("b-etl Train a-etl serve"));
        QCOMPARE(view.selectionModel()->currentIndex().row(), 0);
        QVERIFY(view.selectionModel()->isRowSelected(0, {}));
        QVERIFY(!view.selectionModel()->isRowSelected(2, {}));

        model.setFilter(QRegularExpression(QStringLiteral("ETL"), QRegularExpression::CaseInsensitiveOption));
        QCOMPARE(names(), QStringLiteral("b-etl a-etl"));
        QCOMPARE(model.rowOf("Train"), -1);
        QCOMPARE(model.rowOf("a-etl"), 1);
        model.setFilter(QRegularExpression());
        QCOMPARE(model.rowCount(), 4);
        model.setData(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf("b-etl"), -1);
    }

    void lagPageTopicSideAndExports()
    {
        const QLocale was;
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const auto restore = qScopeGuard([&] { QLocale::setDefault(was); });
        ClusterContext context({});
        LagPage page(&context);
        page.resize(1400, 800);
        page.show();
        QSignalSpy shown(&page, &LagPage::dataShown);
        QSignalSpy chart(&page, &LagPage::chartShown);
        const SnapshotPtr s = demo();
        context.show(s);
        QVERIFY(shown.wait(10000));
        QCOMPARE(page.groupsModel()->rowCount(), int(s->groups.size()));
        // The chart's legend lies below it, one entry to a row (not over the lag line).
        auto *plot = page.findChild<QCustomPlot *>();
        QCOMPARE(plot->legend->layout(), static_cast<QCPLayout *>(plot->plotLayout()));
        QCOMPARE(plot->legend->rowCount(), 2);
        // The group with the most lag is chosen, its partitions shown.
        const QString selected = page.selectedGroup();
        QVERIFY(!selected.isEmpty());
        QCOMPARE(page.partitionsProxy()->rowCount(), int(s->group(selected.toStdString())->offsets.size()));
        // One point (a snapshot file has no history): the time axis spans a minute around it, each label once (over
        // two seconds, four ticks all read the same HH:mm:ss).
        QTRY_VERIFY(page.chartPoints() == 1);
        QCOMPARE(plot->graph(0)->scatterStyle().shape(), QCPScatterStyle::ssDisc); // a line of one point draws nothing
        plot->replot();
        const QVector<QString> labels = plot->xAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 2);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
        QCOMPARE(plot->xAxis->range().size(), 60.0);
        // The lag axis writes its numbers as the tables do: digits grouped by the user's locale (here US English).
        plot->yAxis->setRange(0, 3e7);
        plot->replot();
        const QVector<double> lagTicks = plot->yAxis->tickVector();
        const QVector<QString> lagLabels = plot->yAxis->tickVectorLabels();
        QVERIFY(lagTicks.size() >= 2 && lagTicks.back() >= 1e6);
        for (qsizetype i = 0; i < lagTicks.size(); ++i)
            QCOMPARE(lagLabels[i], QLocale().toString(qlonglong(lagTicks[i])));
        // From a topic's side: only the groups that consume it, their lag on it alone.
        const std::string topic = s->group(selected.toStdString())->offsets.front().topic;
        page.setTopic(QString::fromStdString(topic));
        QVERIFY(shown.wait(10000));
        int consumers = 0;
        for (const auto &g : s->groups)
            if (std::any_of(g.offsets.begin(), g.offsets.end(), [&](const GroupOffset &o) { return o.topic == topic; }))
                ++consumers;
        QCOMPARE(page.groupsModel()->rowCount(), consumers);
        for (const auto &row : page.data()->groups) {
            int64_t onTopic = 0;
            for (const auto &o : s->group(row.group)->offsets)
                if (o.topic == topic && o.lag > 0)
                    onTopic += o.lag;
            QCOMPARE(row.totalLag, onTopic);
        }
        page.setTopic(QString());
        QVERIFY(shown.wait(10000));
        QVERIFY(page.chooseGroup(selected));
        QTRY_VERIFY_WITH_TIMEOUT(page.chartPoints() == 1, 5000); // the snapshot alone: one point

        QTemporaryDir dir;
        QString error;
        const QString csv = dir.filePath(QStringLiteral("lag.csv"));
        error = saved(&page, csv, page.csv());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("group,topic,partition,status,lag,time_lag,committed,end_offset,owner"));
        QCOMPARE(lines.size() - 2, int(s->group(selected.toStdString())->offsets.size())); // header and final newline
        // Every partition's raw lag is in the file, exactly.
        int64_t sum = 0;
        for (int i = 1; i < lines.size() - 1; ++i)
            sum += lines[i].split(',').at(4).toLongLong();
        QCOMPARE(sum, s->group(selected.toStdString())->totalLag());
        const QString png = dir.filePath(QStringLiteral("lag.png"));
        QString written = QStringLiteral("not yet");
        ui::saveImageInBackground(&page, png, page.chartImage(), [&](const QString &e) { written = e; });
        QTRY_COMPARE_WITH_TIMEOUT(written, QString(), 10000);
        QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 500));
        // A file that cannot be written: the error names it, and nothing is left behind.
        error = saved(&page, QStringLiteral("/nonexistent-dir/lag.csv"), page.csv());
        QVERIFY2(error.startsWith(QStringLiteral("/nonexistent-dir/lag.csv: ")), qPrintable(error));
        // The page gone before the write ends: nothing is called.
        bool called = false;
        {
            QObject owner;
            ui::saveInBackground(&owner, dir.filePath(QStringLiteral("late.csv")), page.csv(),
                                 [&](const QString &) { called = true; });
        }
        QTest::qWait(200);
        QVERIFY(!called);
    }
};

QTEST_MAIN(TestPages)
#include "tst_pages.moc"
