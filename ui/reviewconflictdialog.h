#pragma once
// A review saved by someone else since it was opened here: every field that differs, yours beside theirs, item by
// item; the person ticks the items to keep as they have them, and the rest is taken as stored. "Take theirs" drops
// this copy's changes.

#include "models/reviewmerge.h"

#include <QDialog>
#include <set>
#include <string>

class QTreeWidget;

namespace kp {

class ReviewConflictDialog : public QDialog
{
    Q_OBJECT
public:
    // `mine` names the items (their titles) as this copy has them.
    ReviewConflictDialog(const QString &review, const std::vector<ReviewDifference> &differences,
                         const ReviewDocument &mine, QWidget *parent = nullptr);
    std::set<std::string> keepMine() const; // the items ticked ("inputs" for the review's inputs)
    void setKeepMine(const std::string &item, bool keep);

private:
    QTreeWidget *m_tree = nullptr;
};

} // namespace kp
