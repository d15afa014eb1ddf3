#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

namespace kp {

// Edits a user's pricing profile as JSON text. Save checks it with the same parser the planner uses and refuses a
// malformed profile naming the field and the reason; the file is written atomically, nothing is lost on a refusal.
// The file is read and written on a worker: the text is read-only until it is in, the buttons wait for the write.
class PricingEditor : public QDialog
{
    Q_OBJECT
public:
    PricingEditor(const QString &path, QWidget *parent = nullptr);
    QString path() const { return m_path; }
    void setText(const QString &json); // a read still under way no longer replaces it
    QString text() const;
    // Validates and starts the write: false with the reason shown when the text is refused; saved() once written (the
    // dialog is then accepted), or the reason the file could not be written shown.
    bool save();
    QString error() const;

    // Where a user's own profiles live, and a copy of a profile's JSON there under a free name; returns its path.
    static QString userDirectory();
    static QString copyToUserDirectory(const std::string &json, const std::string &name, QString *error);

Q_SIGNALS:
    void loaded(); // the file's text is in the editor, or why it could not be read is shown
    void saved();

private:
    QString m_path;
    QPlainTextEdit *m_edit = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_textSet = false;
};

} // namespace kp
