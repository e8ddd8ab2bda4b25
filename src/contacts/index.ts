// Contacts are their own module rather than part of calls/: they belong to the subscriber (not to a
// number, which is all calls/ knows about), and calls/ deliberately has no dependency on subscribers/.
export { contactRoutes } from './routes.js';
export { addContact, deleteContact, listContacts, updateContact, type Contact } from './contacts.js';
export type { ContactTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { contacts } from './migrations/20261124T0510-contacts.js';
