import { FormProblem } from '../../components/form-errors';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { TextField } from '../../components/text-field';
import type { PhoneEngine } from './phone-engine';
import { createContact, removeContact, updateContact, type Contact } from './softphone-api';
import { useAction } from '../../lib/use-action';

/** A number handed over from the call history; `nonce` reopens the form even for the same number twice. */
export interface ContactDraft {
  number: string;
  nonce: number;
}

type Editing = { mode: 'closed' } | { mode: 'add'; number: string } | { mode: 'edit'; contact: Contact };

/** The subscriber's contacts: favourites first, a click calls, and each can be edited or deleted. */
export function ContactsPanel({
  contacts,
  engine,
  canCall,
  draft,
  onChanged,
}: {
  contacts: Contact[] | null;
  engine: PhoneEngine;
  canCall: boolean;
  draft: ContactDraft | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  useEffect(() => {
    if (draft) setEditing({ mode: 'add', number: draft.number });
  }, [draft]);

  async function remove(contact: Contact) {
    if (!window.confirm(t('softphone.contacts.confirmDelete', { name: contact.name }))) return;
    try {
      await removeContact(contact.id);
    } catch (error) {
      console.warn('contact not deleted', error);
    }
    onChanged();
  }

  return (
    <section className="card contacts" aria-labelledby="contacts-title" data-testid="contacts">
      <div className="contacts-header">
        <h2 id="contacts-title">{t('softphone.contacts.title')}</h2>
        {editing.mode === 'closed' && (
          <button type="button" className="button" data-testid="contact-add" onClick={() => setEditing({ mode: 'add', number: '' })}>
            {t('softphone.contacts.add')}
          </button>
        )}
      </div>
      {editing.mode !== 'closed' && (
        <ContactForm
          key={editing.mode === 'edit' ? editing.contact.id : `add:${editing.number}:${draft?.nonce ?? 0}`}
          contact={editing.mode === 'edit' ? editing.contact : null}
          initialNumber={editing.mode === 'add' ? editing.number : ''}
          onDone={(changed) => {
            setEditing({ mode: 'closed' });
            if (changed) onChanged();
          }}
        />
      )}
      {contacts?.length === 0 && editing.mode === 'closed' && <p className="muted">{t('softphone.contacts.empty')}</p>}
      <ul className="contact-list">
        {contacts?.map((contact) => (
          <li key={contact.id} data-testid="contact-entry" data-number={contact.number} data-favourite={contact.favourite}>
            <button
              type="button"
              className="button-quiet contact-call"
              data-testid="contact-call"
              disabled={!canCall}
              onClick={() => void engine.call(contact.number)}
              aria-label={t('softphone.contacts.callOf', { name: contact.name, number: contact.number })}
            >
              <span className="contact-name">
                {contact.favourite && <span aria-label={t('softphone.contacts.favourite')}>★ </span>}
                {contact.name}
              </span>
              <span className="small muted">{contact.number}</span>
            </button>
            <button
              type="button"
              className="button-quiet small"
              data-testid="contact-edit"
              aria-label={t('softphone.contacts.editOf', { name: contact.name })}
              onClick={() => setEditing({ mode: 'edit', contact })}
            >
              {t('softphone.contacts.edit')}
            </button>
            <button
              type="button"
              className="button-quiet small"
              data-testid="contact-delete"
              aria-label={t('softphone.contacts.deleteOf', { name: contact.name })}
              onClick={() => void remove(contact)}
            >
              {t('softphone.contacts.delete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ContactForm({
  contact,
  initialNumber,
  onDone,
}: {
  contact: Contact | null;
  initialNumber: string;
  onDone: (changed: boolean) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(contact?.name ?? '');
  const [number, setNumber] = useState(contact?.number ?? initialNumber);
  const [favourite, setFavourite] = useState(contact?.favourite ?? false);
  const save = useAction();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Spaces and dashes as people type them; the server keeps digits only.
    const input = { name: name.trim(), number: number.replace(/[\s-]/g, ''), favourite };
    await save.run(async () => {
      if (contact) await updateContact(contact.id, input);
      else await createContact(input);
      onDone(true);
    });
  }

  return (
    <FormProblem error={save.error}>
      <form className="form contact-form" onSubmit={submit} data-testid="contact-form">
        <TextField id="contact-name" label={t('softphone.contacts.name')} required maxLength={60} value={name} onValueChange={setName} />
        <TextField
          id="contact-number"
          label={t('softphone.contacts.number')}
          required
          inputMode="tel"
          hint={t('softphone.contacts.numberHint')}
          value={number}
          onValueChange={setNumber}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="contact-favourite"
            checked={favourite}
            onChange={(event) => setFavourite(event.target.checked)}
          />
          {t('softphone.contacts.favourite')}
        </label>
        {save.error !== null && <ProblemAlert error={save.error} testId="contact-error" />}
        <div className="toolbar">
          <button type="submit" className="button button-primary" data-testid="contact-save" disabled={save.busy}>
            {t('softphone.contacts.save')}
          </button>
          <button type="button" className="button" data-testid="contact-cancel" onClick={() => onDone(false)}>
            {t('softphone.contacts.cancel')}
          </button>
        </div>
      </form>
    </FormProblem>
  );
}
