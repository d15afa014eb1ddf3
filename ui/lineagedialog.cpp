#include "ui/lineagedialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>

namespace kp {

LineageDialog::LineageDialog(const LineageEndpoint &current, QWidget *parent) : QDialog(parent), m_endpoint(current)
{
    setWindowTitle(tr("OpenLineage events"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Recording a run sends a START event, finishing it a COMPLETE event, with the topics "
                                "and the exact offset ranges read. Events wait in the store while the endpoint is "
                                "down and are sent when it is back."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    m_url = new QLineEdit(QString::fromStdString(current.url), this);
    m_url->setObjectName(QStringLiteral("lineageUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://marquez:5000  (empty: send nothing)"));
    m_namespace = new QLineEdit(QString::fromStdString(current.jobNamespace), this);
    m_namespace->setObjectName(QStringLiteral("lineageNamespace"));
    m_namespace->setPlaceholderText(QString::fromLatin1(kDefaultJobNamespace));
    form->addRow(tr("&Endpoint:"), m_url);
    form->addRow(tr("Job &namespace:"), m_namespace);
    auto *key = new QLabel(current.apiKey.empty()
                               ? tr("API key: none (set OPENLINEAGE_API_KEY before starting the app to send one)")
                               : tr("API key: from OPENLINEAGE_API_KEY"),
                           this);
    key->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("lineageError"));
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->setWordWrap(true);
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(key);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &LineageDialog::tryAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(560); // a whole URL in view
}

void LineageDialog::tryAccept()
{
    const QString url = m_url->text().trimmed();
    try {
        m_endpoint.url = url.isEmpty() ? std::string() : lineageEventsUrl(url.toStdString());
    } catch (const std::invalid_argument &e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_error->show();
        return;
    }
    m_endpoint.jobNamespace = m_namespace->text().trimmed().toStdString();
    accept();
}

LineageEndpoint LineageDialog::saved()
{
    LineageEndpoint endpoint;
    try {
        endpoint = lineageEndpointFromEnvironment();
    } catch (const std::invalid_argument &) {
        endpoint = {}; // a bad OPENLINEAGE_URL: none, until one is set here
        endpoint.apiKey = qEnvironmentVariable("OPENLINEAGE_API_KEY").toStdString();
    }
    QSettings settings;
    if (settings.contains(QStringLiteral("lineage/url"))) {
        const QString url = settings.value(QStringLiteral("lineage/url")).toString();
        try {
            endpoint.url = url.isEmpty() ? std::string() : lineageEventsUrl(url.toStdString());
        } catch (const std::invalid_argument &) {
            endpoint.url.clear();
        }
        endpoint.jobNamespace = settings.value(QStringLiteral("lineage/namespace")).toString().toStdString();
    }
    return endpoint;
}

void LineageDialog::save(const LineageEndpoint &endpoint)
{
    QSettings settings;
    settings.setValue(QStringLiteral("lineage/url"), QString::fromStdString(endpoint.url));
    settings.setValue(QStringLiteral("lineage/namespace"), QString::fromStdString(endpoint.jobNamespace));
}

} // namespace kp
