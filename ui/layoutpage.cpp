#include "ui/layoutpage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace kp {

LayoutPage::LayoutPage(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_topic = new QLineEdit(this);
    m_topic->setObjectName(QStringLiteral("layoutTopicFilter"));
    m_topic->setPlaceholderText(tr("Topic filter (regular expression)"));
    m_topic->setClearButtonEnabled(true);
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("layoutStateFilter"));
    m_state->addItems({tr("All partitions"), tr("Under-replicated"), tr("Offline"), tr("Rack violations")});
    m_color = new QComboBox(this);
    m_color->setObjectName(QStringLiteral("layoutColorBy"));
    m_color->addItems({tr("Colour by size"), tr("Colour by bytes-in rate")});
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("layoutSearch"));
    m_search->setPlaceholderText(tr("Find partition (topic-3), Enter"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    bar->addWidget(new QLabel(tr("&Topics:"), this));
    static_cast<QLabel *>(bar->itemAt(0)->widget())->setBuddy(m_topic);
    bar->addWidget(m_topic, 2);
    bar->addWidget(m_state);
    bar->addWidget(m_color);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_count);
    m_view = new LayoutView(this);
    m_details = new QLabel(tr("Click a cell for its details. Black mark: leader; red frame: out of sync; left stripe: "
                              "orange under-replicated, red offline, purple rack violation."),
                           this);
    m_details->setObjectName(QStringLiteral("layoutDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);

    connect(m_topic, &QLineEdit::textChanged, this, &LayoutPage::applyFilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, &LayoutPage::applyFilter);
    connect(m_color, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_view->setColorBy(i == 1 ? LayoutView::ColorBy::BytesInRate : LayoutView::ColorBy::Size);
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { search(m_search->text()); });
    connect(m_view, &LayoutView::selectionChanged, this, [this](const QString &details) {
        if (!details.isEmpty())
            m_details->setText(details);
    });
    connect(m_view, &LayoutView::rowsChanged, this,
            [this](int shown, int total) { m_count->setText(tr("%L1 of %L2").arg(shown).arg(total)); });
    setRates({});
}

void LayoutPage::setSnapshot(SnapshotPtr snapshot)
{
    if (!snapshot) {
        m_job.cancel();
        m_view->setSnapshot(nullptr);
        return;
    }
    // The rack check walks every partition: off the GUI thread, then the view takes the rows.
    m_job.start(
        this, [snapshot] { return LayoutView::violationsOf(*snapshot); },
        [this, snapshot](const LayoutView::Violations &violations) { showSnapshot(snapshot, violations); });
}

void LayoutPage::showSnapshot(SnapshotPtr snapshot, const LayoutView::Violations &violations)
{
    m_job.cancel(); // a rack check still under way is for an older snapshot
    m_view->setSnapshot(std::move(snapshot), violations);
    Q_EMIT layoutShown();
}

void LayoutPage::setRates(PartitionRatesPtr bytesPerSecond)
{
    const bool any = bytesPerSecond && !bytesPerSecond->empty();
    m_view->setRates(std::move(bytesPerSecond));
    // Rates come from the recorded history: none for snapshot files and the demo.
    m_color->setItemData(1, any ? QVariant() : QVariant(0), Qt::UserRole - 1);
    m_color->setItemData(1,
                         any ? tr("Bytes produced per second, from the recorded history")
                             : tr("Needs a recorded history: connect to a live cluster and let it sample"),
                         Qt::ToolTipRole);
    if (!any && m_color->currentIndex() == 1)
        m_color->setCurrentIndex(0);
}

void LayoutPage::applyFilter()
{
    QRegularExpression re(m_topic->text(), QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid()) {
        m_topic->setStyleSheet(QStringLiteral("QLineEdit { background: #fde2e1; }"));
        m_topic->setToolTip(tr("Not a valid regular expression: %1").arg(re.errorString()));
        return;
    }
    m_topic->setStyleSheet(QString());
    m_topic->setToolTip(QString());
    m_view->setFilter(re, LayoutView::State(m_state->currentIndex()));
}

bool LayoutPage::search(const QString &text)
{
    const QString t = text.trimmed();
    const int cut = std::max(t.lastIndexOf(QLatin1Char('-')), t.lastIndexOf(QLatin1Char(' ')));
    bool ok = false;
    const int partition = cut > 0 ? t.mid(cut + 1).toInt(&ok) : -1;
    if (!ok || !m_view->showPartition(t.left(cut), partition)) {
        m_details->setText(tr("No partition \"%1\" among the rows shown (filters apply).").arg(t));
        return false;
    }
    m_view->setFocus();
    return true;
}

void LayoutPage::showPartition(const QString &topic, int partition)
{
    m_topic->clear();
    m_state->setCurrentIndex(0);
    m_view->showPartition(topic, partition);
}

} // namespace kp
