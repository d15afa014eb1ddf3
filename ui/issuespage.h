#pragma once

#include "services/issuelog.h"

#include <QTreeWidget>

namespace kp {

// The Issues page: what went wrong, from the process's IssueLog: what the shown snapshot could not read, step by step,
// and what failed since (sampling, a page's read or save), each once with how many times and when it last happened.
// An empty list says so in words: a blank table could as well mean "not looked yet".
class IssuesPage : public QTreeWidget
{
    Q_OBJECT
public:
    explicit IssuesPage(IssueLog &log, QWidget *parent = nullptr);
    int issueCount() const { return m_count; }

Q_SIGNALS:
    void countChanged(int count); // for the tab's title

private:
    void fill();
    void addNone();

    IssueLog &m_log;
    int m_count = -1;
};

} // namespace kp
