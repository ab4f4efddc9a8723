/** Short private answers: the one-notice replies most commands end with. */
import { ephemeral, notice, type Reply } from './card.js';

export const warn = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'warning'))];
export const ok = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'success'))];
export const info = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'info'))];
