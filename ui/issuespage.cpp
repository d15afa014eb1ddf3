#include "ui/issuespage.h"

#include "ui/widgetutil.h"

namespace kp {

namespace {
enum Column { Step, Subject, Message, Times, Last, ColumnCount };
}

IssuesPage::IssuesPage(IssueLog &log, QWidget *parent) : QTreeWidget(parent), m_log(log)
{
    ui::setUpTree(this, QStringLiteral("problems"),
                  {tr("Step"), tr("Subject"), tr("What went wrong"), tr("Times"), tr("Last")});
    setSortingEnabled(false); // the snapshot's steps first, then the newest last
    headerItem()->setToolTip(Times, tr("How many times it happened: a repeat counts up instead of adding a row"));
    connect(&log, &IssueLog::changed, this, &IssuesPage::fill);
    fill();
}

void IssuesPage::fill()
{
    const std::vector<Issue> issues = m_log.issues();
    clear();
    for (const auto &issue : issues) {
        auto *item = new QTreeWidgetItem(this);
        item->setText(Step, issue.step);
        item->setText(Subject, issue.subject);
        item->setText(Message, issue.message);
        item->setToolTip(Message, issue.message);
        item->setText(Times, QString::number(issue.count));
        item->setTextAlignment(Times, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(Last, issue.last.toString(QStringLiteral("HH:mm:ss")));
        if (issue.count > 1)
            item->setToolTip(Last, tr("First at %1").arg(issue.first.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    }
    if (issues.empty())
        addNone();
    if (m_count != int(issues.size())) {
        m_count = int(issues.size());
        Q_EMIT countChanged(m_count);
    }
}

void IssuesPage::addNone()
{
    auto *none = new QTreeWidgetItem(this);
    none->setText(Step, tr("none"));
    none->setText(Message, tr("Every step of this snapshot read what it asked for, and nothing failed since."));
    none->setFlags(Qt::ItemIsEnabled);
    for (int c = 0; c < ColumnCount; ++c)
        none->setForeground(c, palette().color(QPalette::Disabled, QPalette::Text));
}

} // namespace kp
