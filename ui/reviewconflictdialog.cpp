#include "ui/reviewconflictdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kp {

ReviewConflictDialog::ReviewConflictDialog(const QString &review, const std::vector<ReviewDifference> &differences,
                                           const ReviewDocument &mine, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Review saved elsewhere"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Someone saved \"%1\" since you opened it. Tick the items to keep as you have them; "
                                "the others are taken as they saved them.")
                                 .arg(review),
                             this);
    intro->setWordWrap(true);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("conflicts"));
    m_tree->setHeaderLabels({tr("Item / field"), tr("Yours"), tr("Theirs")});
    m_tree->setWordWrap(true);
    std::map<std::string, QTreeWidgetItem *> items;
    for (const auto &d : differences) {
        QTreeWidgetItem *&top = items[d.item];
        if (!top) {
            const ReviewItem *item = mine.item(d.item);
            const QString name =
                d.item == "inputs" ? tr("Inputs")
                : item && !item->title.empty()
                    ? QStringLiteral("%1 (%2)").arg(QString::fromStdString(item->title), QString::fromStdString(d.item))
                    : QString::fromStdString(d.item);
            top = new QTreeWidgetItem(m_tree, {name});
            top->setData(0, Qt::UserRole, QString::fromStdString(d.item));
            top->setCheckState(0, Qt::Unchecked);
            top->setToolTip(0, tr("Ticked: keep your copy of this item"));
            top->setExpanded(true);
        }
        auto *row = new QTreeWidgetItem(
            top, {QString::fromStdString(d.field), QString::fromStdString(d.mine), QString::fromStdString(d.theirs)});
        row->setToolTip(1, row->text(1));
        row->setToolTip(2, row->text(2));
    }
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("&Save with my ticks"), QDialogButtonBox::AcceptRole)->setDefault(true);
    buttons->addButton(tr("&Take theirs"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(intro);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    resize(820, 420);
}

std::set<std::string> ReviewConflictDialog::keepMine() const
{
    std::set<std::string> out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->checkState(0) == Qt::Checked)
            out.insert(m_tree->topLevelItem(i)->data(0, Qt::UserRole).toString().toStdString());
    return out;
}

void ReviewConflictDialog::setKeepMine(const std::string &item, bool keep)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(0, Qt::UserRole).toString().toStdString() == item)
            m_tree->topLevelItem(i)->setCheckState(0, keep ? Qt::Checked : Qt::Unchecked);
}

} // namespace kp
