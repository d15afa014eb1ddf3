#pragma once

#include "services/lineagedelivery.h"

#include <QDialog>

class QLabel;
class QLineEdit;

namespace kp {

// "OpenLineage…" on the Runs page: where recording and finishing runs send their OpenLineage events (a URL; empty:
// none) and the job namespace. The key is never typed here or stored: it comes from OPENLINEAGE_API_KEY.
class LineageDialog : public QDialog
{
    Q_OBJECT
public:
    LineageDialog(const LineageEndpoint &current, QWidget *parent = nullptr);
    // The endpoint as typed (url already through lineageEventsUrl); valid once the dialog was accepted.
    const LineageEndpoint &endpoint() const { return m_endpoint; }

    // The window's setting (lineage/url, lineage/namespace), else the environment's; the key from the environment.
    static LineageEndpoint saved();
    static void save(const LineageEndpoint &endpoint);

private:
    void tryAccept();
    LineageEndpoint m_endpoint;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_namespace = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace kp
