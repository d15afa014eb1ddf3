#include "ui/trafficpage.h"

#include "services/issuelog.h"

#include "analysis/lagdata.h"
#include "services/freedoffgui.h"
#include "store/endswindow.h"
#include "store/samplestore.h"
#include "ui/widgetutil.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace kp {

using namespace ui;

namespace {

constexpr int64_t kWindowMs = 15 * 60 * 1000; // rates over the last 15 minutes of samples

QString rate(double bytesPerSecond)
{
    if (bytesPerSecond >= 1e6)
        return QStringLiteral("%1 MB/s").arg(bytesPerSecond / 1e6, 0, 'f', 2);
    return QStringLiteral("%1 KB/s").arg(bytesPerSecond / 1e3, 0, 'f', 1);
}

QString money(double dollars)
{
    return QStringLiteral("$%L1").arg(dollars, 0, 'f', 2);
}

struct Result
{
    std::shared_ptr<const Traffic> traffic;
    QString note;
};

Result compute(SnapshotPtr snapshot, QString db, std::vector<ClientAzRule> rules, EndsWindow &window)
{
    Result r;
    TrafficInputs in;
    bool read = false;
    if (!db.isEmpty()) {
        try {
            // Rates need each series' first and last point in the window, not every point in between: the window
            // follows the samples (two decoded at each, where a whole read of 15 minutes decoded 90).
            window.use(db, snapshot->clusterId, snapshot->takenAtMs, kWindowMs,
                       [&](const SampleStore::WindowEnds &ends) { in = trafficInputs(*snapshot, ends); });
            read = true;
        } catch (const std::exception &e) {
            r.note = QObject::tr("The recorded rates could not be read: %1").arg(QString::fromUtf8(e.what()));
            IssueLog::instance().report(QObject::tr("traffic"), qs(snapshot->clusterId), r.note);
        }
    }
    if (!read)
        in = trafficInputs(*snapshot, SampleStore::History{});
    in.clientAzs = std::move(rules);
    r.traffic = std::make_shared<const Traffic>(computeTraffic(*snapshot, in));
    if (r.note.isEmpty() && db.isEmpty())
        r.note = QObject::tr("A snapshot file has no recorded rates: connect to the cluster and let it sample.");
    return r;
}

} // namespace

TrafficPage::TrafficPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_price = new QDoubleSpinBox(this);
    m_price->setObjectName(QStringLiteral("trafficPrice"));
    m_price->setDecimals(4);
    m_price->setRange(0, 1);
    m_price->setSingleStep(0.001);
    m_price->setValue(0.02);
    m_price->setPrefix(QStringLiteral("$"));
    m_price->setSuffix(tr(" per GB"));
    m_price->setToolTip(
        tr("Price per GB crossing AZs: AWS $0.01 out + $0.01 in (docs/cost-model.md); GCP $0.01 per GiB; "
           "Azure inter-AZ free"));
    m_rules = new QLineEdit(this);
    m_rules->setObjectName(QStringLiteral("trafficClientAzs"));
    m_rules->setPlaceholderText(tr("Client AZs: 10.1.0.0/16=us-east-1a, 10.2.0.0/16=us-east-1b …"));
    m_rules->setClearButtonEnabled(true);
    bar->addWidget(new QLabel(tr("Cross-AZ price:"), this));
    bar->addWidget(m_price);
    bar->addWidget(m_rules, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("trafficSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);

    auto *grid = new QGridLayout;
    const QString titles[3] = {tr("Producers → leaders"), tr("Leader → follower replication"),
                               tr("Consumers ← leaders or followers")};
    const char *names[3] = {"trafficProduce", "trafficReplication", "trafficConsume"};
    for (int i = 0; i < 3; ++i) {
        auto *box = new QGroupBox(titles[i], this);
        auto *v = new QVBoxLayout(box);
        m_matrices[i] = new QTableWidget(box);
        m_matrices[i]->setObjectName(QString::fromLatin1(names[i]));
        m_matrices[i]->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_matrices[i]->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
        m_matrices[i]->setToolTip(tr("Rows: from; columns: to. The diagonal stays in its AZ (free)."));
        m_assumptions[i] = new QLabel(box);
        m_assumptions[i]->setWordWrap(true);
        m_assumptions[i]->setStyleSheet(QStringLiteral("color: #555"));
        v->addWidget(m_matrices[i]);
        v->addWidget(m_assumptions[i]);
        grid->addWidget(box, 0, i, Qt::AlignTop);
    }
    m_topics = makeTree(this, QStringLiteral("trafficTopics"),
                        {tr("Topic"), tr("Produced"), tr("Produce cross-AZ"), tr("Replication cross-AZ"),
                         tr("Consume cross-AZ"), tr("Cost per month")});
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_note);
    auto *split = new QSplitter(Qt::Vertical, this);
    auto *top = new QWidget(split);
    top->setLayout(grid);
    split->addWidget(top);
    split->addWidget(m_topics);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    top->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    layout->addWidget(split, 1);

    connect(m_price, &QDoubleSpinBox::valueChanged, this, [this] {
        if (m_traffic)
            showTraffic(m_traffic, m_note->text());
    });
    connect(m_rules, &QLineEdit::editingFinished, this, &TrafficPage::reload);
    subscribe(context);
}

void TrafficPage::subscribe(ClusterContext *context)
{
    auto show = [this, context](SnapshotPtr snapshot) { setSnapshot(std::move(snapshot), context->historyDb()); };
    connect(context, &ClusterContext::snapshotChanged, this, show);
    connect(context, &ClusterContext::sampleMerged, this, show);
    // A profile's client AZ rules, once per profile: an edit in the field stays across refreshes.
    connect(context, &ClusterContext::connectionChanged, this, [this, context] {
        const auto &c = context->connection();
        if (c && c->name != m_rulesFrom) {
            m_rulesFrom = c->name;
            setClientAzRules(QString::fromStdString(formatClientAzRules(c->clientAzs)));
        }
    });
}

void TrafficPage::setSnapshot(SnapshotPtr snapshot, const QString &historyDb)
{
    m_snapshot = std::move(snapshot);
    m_historyDb = historyDb;
    reload();
}

void TrafficPage::setClientAzRules(const QString &rules)
{
    m_rules->setText(rules);
    reload();
}

void TrafficPage::setPricePerGB(double price)
{
    m_price->setValue(price);
}

void TrafficPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void TrafficPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_window && parentWidget()) // a page of the window: what follows the samples is read again when shown
        releaseOffGuiThread(m_window);
}

void TrafficPage::reload()
{
    if (!m_snapshot) {
        m_job.cancel();
        return;
    }
    m_stale = paused();
    if (m_stale) {
        m_job.cancel();
        return;
    }
    const std::vector<ClientAzRule> rules = parseClientAzRules(m_rules->text().toStdString());
    try {
        validateClientAzRules(rules);
        m_rules->setStyleSheet(QString());
        m_rules->setToolTip(QString());
    } catch (const std::invalid_argument &e) {
        m_rules->setStyleSheet(QStringLiteral("QLineEdit { background: #fde2e1; }"));
        m_rules->setToolTip(QString::fromUtf8(e.what()));
        m_note->setText(
            tr("Client AZ rules: %1 (write CIDR=AZ, separated by commas)").arg(QString::fromUtf8(e.what())));
        m_job.cancel();
        return;
    }
    // One computation at a time, as on the Lag page: a request while one runs is served when it ends.
    if (!m_window)
        m_window = std::make_shared<EndsWindow>();
    m_job.start(
        this,
        [snapshot = m_snapshot, db = m_historyDb, rules, window = m_window] {
            return compute(snapshot, db, rules, *window);
        },
        [this](const Result &r) { showTraffic(r.traffic, r.note); }, [this] { reload(); });
}

void TrafficPage::fillMatrix(QTableWidget *table, const FlowMatrix &m)
{
    const auto &azs = m_traffic->azs;
    table->clear();
    table->setRowCount(int(azs.size()));
    table->setColumnCount(int(azs.size()));
    QStringList labels;
    for (const auto &az : azs)
        labels << qs(az);
    table->setHorizontalHeaderLabels(labels);
    table->setVerticalHeaderLabels(labels);
    for (int r = 0; r < int(azs.size()); ++r)
        for (int c = 0; c < int(azs.size()); ++c) {
            double v = 0;
            if (auto row = m.bytes.find(azs[size_t(r)]); row != m.bytes.end())
                if (auto cell = row->second.find(azs[size_t(c)]); cell != row->second.end())
                    v = cell->second;
            auto *item = new QTableWidgetItem(rate(v));
            item->setData(Qt::UserRole, v);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (r == c) {
                item->setForeground(QColor(0x88, 0x88, 0x88));
                item->setToolTip(tr("Within %1: free").arg(labels[r]));
            } else {
                item->setToolTip(tr("%1 → %2: %3 a month")
                                     .arg(labels[r], labels[c], money(monthlyCost(v, m_price->value(), false))));
            }
            table->setItem(r, c, item);
        }
    // As tall as its rows: the per-topic table below takes the rest.
    table->resizeRowsToContents();
    int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
    for (int r = 0; r < table->rowCount(); ++r)
        height += table->rowHeight(r);
    table->setFixedHeight(height);
}

void TrafficPage::showTraffic(std::shared_ptr<const Traffic> traffic, const QString &note)
{
    m_traffic = std::move(traffic);
    const Traffic &t = *m_traffic;
    const double price = m_price->value();
    auto cost = [&](double bytesPerSecond) { return money(monthlyCost(bytesPerSecond, price, false)); };
    const double saving = t.consume.crossAz() - t.consumeCrossWithFollowerFetching;
    m_summary->setText(
        tr("<b>Cross-AZ: %1, %2 a month</b> over %3 AZs%4. Producers %5, replication %6, consumers %7.<br>"
           "Follower fetching: %8.%9")
            .arg(rate(t.crossAz()), cost(t.crossAz()))
            .arg(t.azs.size())
            .arg(t.racksKnown ? QString() : tr(" (some broker racks unknown: \"?\")"))
            .arg(cost(t.produce.crossAz()), cost(t.replication.crossAz()), cost(t.consume.crossAz()))
            .arg(qs(t.followerFetchingDetail).toHtmlEscaped())
            .arg(t.followerFetching || saving <= 0
                     ? QString()
                     : tr(" Switching it on (and client.rack on consumers) would save %1 a month.").arg(cost(saving))));
    QString n = note;
    if (t.partitionsWithoutRate > 0)
        n += (n.isEmpty() ? QString() : QStringLiteral(" ")) +
             tr("%n partition(s) have no measured rate yet and count as 0.", nullptr, int(t.partitionsWithoutRate));
    m_note->setText(n);
    const FlowMatrix *flows[3] = {&t.produce, &t.replication, &t.consume};
    const std::string *basis[3] = {&t.produceAssumption, &t.replicationBasis, &t.consumeAssumption};
    for (int i = 0; i < 3; ++i) {
        fillMatrix(m_matrices[i], *flows[i]);
        QString why = qs(*basis[i]);
        if (!why.isEmpty())
            why[0] = why[0].toUpper();
        m_assumptions[i]->setText(
            tr("Cross-AZ %1, %2 a month. %3.").arg(rate(flows[i]->crossAz()), cost(flows[i]->crossAz()), why));
    }
    m_topics->setSortingEnabled(false);
    m_topics->clear();
    for (const auto &[name, tt] : t.topics) {
        auto *item = new SortableItem(m_topics);
        item->setText(0, qs(name));
        const double values[4] = {tt.produced, tt.produceCross, tt.replicationCross, tt.consumeCross};
        for (int c = 0; c < 4; ++c) {
            item->setText(c + 1, rate(values[c]));
            item->setData(c + 1, Qt::UserRole, qlonglong(values[c]));
            item->setTextAlignment(c + 1, Qt::AlignRight | Qt::AlignVCenter);
        }
        item->setText(5, cost(tt.crossAz()));
        item->setData(5, Qt::UserRole, qlonglong(tt.crossAz()));
        item->setTextAlignment(5, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_topics->setSortingEnabled(true);
    m_topics->sortByColumn(5, Qt::DescendingOrder);
    Q_EMIT trafficShown();
}

} // namespace kp
