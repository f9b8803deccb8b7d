import { CartographyDb } from './db.ts';

/** The app's one database connection. */
export const db = new CartographyDb();
