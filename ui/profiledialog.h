#pragma once

#include "models/connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

class QFormLayout;
class QDialogButtonBox;
namespace kp {

// Edits a connection profile: address, security, credentials, TLS files. Validates before it closes, and says what is
// wrong inline. Can prefill itself from a Java client.properties file.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(QWidget *parent = nullptr);

    void setProfile(const ConnectionProfile &profile);
    ConnectionProfile profile() const;
    bool saveRequested() const;

    // Prefills from a client.properties file; returns an error message, or an empty string.
    QString importProperties(const QString &path);

    void accept() override;

private:
    void updateEnabled();
    void createFields();
    QFormLayout *buildForm();
    QDialogButtonBox *buildButtons();
    QLineEdit *fileField(const QString &objectName, const QString &filter);

    QLineEdit *m_name;
    QLineEdit *m_bootstrap;
    QComboBox *m_protocol;
    QComboBox *m_mechanism;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_userLabel;
    QLabel *m_passwordLabel;
    QLineEdit *m_tokenEndpoint; // OAUTHBEARER with OIDC client credentials
    QLineEdit *m_scope;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_clientAzs;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_save;
    QLabel *m_error;
    ConfigMap m_extra;
};

} // namespace kp
