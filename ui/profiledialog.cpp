#include "ui/profiledialog.h"

#include "models/formaterror.h"
#include "models/qtstrings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace kp {

namespace {

std::string ss(const QString &s)
{
    return s.trimmed().toStdString();
}

} // namespace

ProfileDialog::ProfileDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Cluster connection"));
    createFields();
    auto *form = buildForm();
    auto *buttons = buildButtons();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    updateEnabled();
    resize(560, sizeHint().height());
}

// The connection's fields, in the order Tab visits them.
void ProfileDialog::createFields()
{
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("prod-eu"));
    m_bootstrap = new QLineEdit(this);
    m_bootstrap->setObjectName(QStringLiteral("bootstrap"));
    m_bootstrap->setPlaceholderText(tr("host1:9092,host2:9092"));
    m_protocol = new QComboBox(this);
    m_protocol->setObjectName(QStringLiteral("protocol"));
    m_protocol->addItems({QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"), QStringLiteral("SASL_PLAINTEXT"),
                          QStringLiteral("SASL_SSL")});
    m_mechanism = new QComboBox(this);
    m_mechanism->setObjectName(QStringLiteral("mechanism"));
    m_mechanism->addItems({QStringLiteral("SCRAM-SHA-512"), QStringLiteral("SCRAM-SHA-256"), QStringLiteral("PLAIN"),
                           QStringLiteral("OAUTHBEARER")});
    m_mechanism->setToolTip(tr("OAUTHBEARER: with a token endpoint, OIDC client credentials (the user is the client "
                               "id, the password its secret); without one, an unsecured JWT naming the user as its "
                               "principal (brokers with Kafka's unsecured validator) and no password"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("user"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("Kept in the system keyring; where there is none, in memory for this session only."));
    m_tokenEndpoint = new QLineEdit(this);
    m_tokenEndpoint->setObjectName(QStringLiteral("tokenEndpoint"));
    m_tokenEndpoint->setPlaceholderText(tr("https://idp.example.com/oauth2/token"));
    m_tokenEndpoint->setToolTip(tr("OAUTHBEARER with OIDC client credentials: the identity provider's token endpoint "
                                   "(sasl.oauthbearer.token.endpoint.url). User: the client id; password: its "
                                   "secret. Empty: an unsecured JWT."));
    m_scope = new QLineEdit(this);
    m_scope->setObjectName(QStringLiteral("scope"));
    m_scope->setToolTip(tr("The scope to ask the token endpoint for (sasl.oauthbearer.scope); often empty."));
    m_ca = fileField(QStringLiteral("ca"), tr("PEM files (*.pem *.crt);;All files (*)"));
    m_cert = fileField(QStringLiteral("cert"), tr("PEM files (*.pem *.crt);;All files (*)"));
    m_key = fileField(QStringLiteral("key"), tr("PEM files (*.pem *.key);;All files (*)"));
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setRange(0.5, 600);
    m_timeout->setValue(10);
    m_timeout->setSuffix(tr(" s"));
    m_save = new QCheckBox(tr("Save as a profile"), this);
    m_save->setChecked(true);
}

QFormLayout *ProfileDialog::buildForm()
{
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Bootstrap servers:"), m_bootstrap);
    form->addRow(tr("&Security protocol:"), m_protocol);
    form->addRow(tr("SASL &mechanism:"), m_mechanism);
    m_userLabel = new QLabel(this);
    m_userLabel->setBuddy(m_user);
    m_passwordLabel = new QLabel(this);
    m_passwordLabel->setBuddy(m_password);
    form->addRow(m_userLabel, m_user);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(tr("To&ken endpoint (OIDC):"), m_tokenEndpoint);
    form->addRow(tr("Sc&ope:"), m_scope);
    form->addRow(tr("CA certificate (PEM):"), m_ca->parentWidget());
    form->addRow(tr("Client certificate (PEM):"), m_cert->parentWidget());
    form->addRow(tr("Client key (PEM):"), m_key->parentWidget());
    form->addRow(tr("&Timeout per step:"), m_timeout);
    m_clientAzs = new QLineEdit(this);
    m_clientAzs->setObjectName(QStringLiteral("clientAzs"));
    m_clientAzs->setPlaceholderText(tr("10.1.0.0/16=us-east-1a, 10.2.0.0/16=us-east-1b"));
    m_clientAzs->setToolTip(tr("Where the cluster's clients sit, for the cross-AZ traffic estimate: address blocks and "
                               "their AZ. Clients outside every block are taken as spread evenly."));
    form->addRow(tr("Client &AZs:"), m_clientAzs);
    form->addRow(QString(), m_save);

    return form;
}

// The error line, Connect, Cancel and Import, and what changes which fields apply.
QDialogButtonBox *ProfileDialog::buildButtons()
{
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a1261d;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    auto *import = buttons->addButton(tr("&Import client.properties…"), QDialogButtonBox::ActionRole);
    connect(import, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import client.properties"), QString(),
                                                          tr("Java client properties (*.properties);;All files (*)"));
        if (path.isEmpty())
            return;
        if (const QString err = importProperties(path); !err.isEmpty()) {
            m_error->setText(err);
            m_error->show();
        }
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_protocol, &QComboBox::currentTextChanged, this, &ProfileDialog::updateEnabled);
    connect(m_mechanism, &QComboBox::currentTextChanged, this, &ProfileDialog::updateEnabled);
    connect(m_tokenEndpoint, &QLineEdit::textChanged, this, &ProfileDialog::updateEnabled);

    return buttons;
}

QLineEdit *ProfileDialog::fileField(const QString &objectName, const QString &filter)
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(box);
    edit->setObjectName(objectName);
    auto *browse = new QToolButton(box);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(tr("Choose a file"));
    connect(browse, &QToolButton::clicked, this, [this, edit, filter] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a file"), edit->text(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return edit;
}

void ProfileDialog::updateEnabled()
{
    const QString protocol = m_protocol->currentText();
    const bool sasl = protocol.startsWith(QStringLiteral("SASL_"));
    const bool ssl = protocol == QStringLiteral("SSL") || protocol == QStringLiteral("SASL_SSL");
    for (QWidget *w :
         {static_cast<QWidget *>(m_mechanism), static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password)})
        w->setEnabled(sasl);
    const bool oauth = sasl && m_mechanism->currentText() == QStringLiteral("OAUTHBEARER");
    m_tokenEndpoint->setEnabled(oauth);
    m_scope->setEnabled(oauth);
    const bool oidc = oauth && !m_tokenEndpoint->text().trimmed().isEmpty();
    m_userLabel->setText(oidc ? tr("C&lient id:") : tr("&User:"));
    m_passwordLabel->setText(oidc ? tr("Client s&ecret:") : tr("&Password:"));
    for (QLineEdit *w : {m_ca, m_cert, m_key})
        w->parentWidget()->setEnabled(ssl);
}

void ProfileDialog::setProfile(const ConnectionProfile &p)
{
    m_name->setText(qs(p.name));
    m_bootstrap->setText(qs(p.bootstrap));
    m_protocol->setCurrentText(qs(p.securityProtocol));
    if (!p.saslMechanism.empty())
        m_mechanism->setCurrentText(qs(p.saslMechanism));
    m_user->setText(qs(p.username));
    m_password->setText(qs(p.password));
    m_tokenEndpoint->setText(qs(p.oidcTokenEndpoint()));
    m_scope->setText(qs(p.oidcScope()));
    m_ca->setText(qs(p.sslCaLocation));
    m_cert->setText(qs(p.sslCertLocation));
    m_key->setText(qs(p.sslKeyLocation));
    m_timeout->setValue(p.timeoutMs / 1000.0);
    m_clientAzs->setText(qs(formatClientAzRules(p.clientAzs)));
    m_extra = p.extra;
    updateEnabled();
}

ConnectionProfile ProfileDialog::profile() const
{
    ConnectionProfile p;
    p.name = ss(m_name->text());
    p.bootstrap = ss(m_bootstrap->text());
    if (p.name.empty())
        p.name = p.bootstrap;
    p.securityProtocol = ss(m_protocol->currentText());
    if (p.usesSasl()) {
        p.saslMechanism = ss(m_mechanism->currentText());
        p.username = ss(m_user->text());
        p.password = m_password->text().toStdString(); // passwords keep their spaces
    }
    if (p.usesSsl()) {
        p.sslCaLocation = ss(m_ca->text());
        p.sslCertLocation = ss(m_cert->text());
        p.sslKeyLocation = ss(m_key->text());
    }
    p.timeoutMs = int(m_timeout->value() * 1000);
    p.clientAzs = parseClientAzRules(m_clientAzs->text().toStdString());
    p.extra = m_extra;
    p.extra.erase("sasl.oauthbearer.token.endpoint.url");
    p.extra.erase("sasl.oauthbearer.scope");
    if (p.usesSasl() && p.saslMechanism == "OAUTHBEARER") {
        if (const std::string url = ss(m_tokenEndpoint->text()); !url.empty())
            p.extra["sasl.oauthbearer.token.endpoint.url"] = url;
        if (const std::string scope = ss(m_scope->text()); !scope.empty() && p.usesOidc())
            p.extra["sasl.oauthbearer.scope"] = scope;
    }
    return p;
}

bool ProfileDialog::saveRequested() const
{
    return m_save->isChecked();
}

QString ProfileDialog::importProperties(const QString &path)
{
    try {
        const std::string name =
            m_name->text().trimmed().isEmpty() ? QFileInfo(path).baseName().toStdString() : ss(m_name->text());
        auto imported = profileFromClientPropertiesFile(path.toStdString(), name, ss(m_bootstrap->text()));
        setProfile(imported.profile);
        m_error->hide();
        return {};
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
}

void ProfileDialog::accept()
{
    const ConnectionProfile p = profile();
    std::string error = p.validate();
    for (const auto &file : {p.sslCaLocation, p.sslCertLocation, p.sslKeyLocation})
        if (error.empty() && !file.empty() && !QFileInfo::exists(qs(file)))
            error = "file not found: " + file;
    if (!error.empty()) {
        m_error->setText(qs(error));
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace kp
