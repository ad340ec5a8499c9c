import { isDuplicateKeyError } from '@charity/common';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { newCardNumber } from './card-number';
import { alreadyRegistered, importRejection, type ImportProblem } from './household-import-rows';
import type { HouseholdSheet } from './household-sheet';
import { Household } from './household.entity';

/** Rows per INSERT and per IN (…) lookup. */
export const IMPORT_CHUNK_SIZE = 1000;
const CARD_NUMBER_ATTEMPTS = 5;

export interface ImportedHousehold {
  /** The sheet row the household came from. */
  row: number;
  id: number;
  cardNo: string;
}

/** A household's columns but its card number, drawn inside the transaction. */
export interface PreparedRow {
  row: number;
  values: Omit<Household, 'id' | 'cardNo' | 'region' | 'homeStore'>;
}

/**
 * The checked rows inserted in chunks inside `em`'s transaction, each under a fresh card number;
 * a row whose ID number was registered meanwhile by another request refuses the whole file.
 */
export async function insertHouseholds(
  dataSource: DataSource,
  em: EntityManager,
  sheet: HouseholdSheet,
  prepared: PreparedRow[],
): Promise<ImportedHousehold[]> {
  const cards = await newCardNumbers(em, prepared.length, new Set());
  const used = new Set(cards);
  const households: ImportedHousehold[] = [];
  for (let start = 0; start < prepared.length; start += IMPORT_CHUNK_SIZE) {
    const chunk = prepared.slice(start, start + IMPORT_CHUNK_SIZE);
    const chunkCards = cards.slice(start, start + IMPORT_CHUNK_SIZE);
    const inserted = await insertChunk(dataSource, em, sheet, chunk, chunkCards, used);
    households.push(...inserted);
  }
  return households;
}

/** Households already registered under any of these ID number hashes, by hash. */
export async function registeredByIdHash(
  em: EntityManager,
  hashes: string[],
): Promise<Map<string, { id: number; cardNo: string }>> {
  const found = new Map<string, { id: number; cardNo: string }>();
  for (let start = 0; start < hashes.length; start += IMPORT_CHUNK_SIZE) {
    const rows = await em.find(Household, {
      where: { idNumberHash: In(hashes.slice(start, start + IMPORT_CHUNK_SIZE)) },
      select: { id: true, cardNo: true, idNumberHash: true },
    });
    for (const row of rows) found.set(row.idNumberHash, { id: row.id, cardNo: row.cardNo });
  }
  return found;
}

/** `count` card numbers unique among themselves, `taken`, and the registry. */
async function newCardNumbers(
  em: EntityManager,
  count: number,
  taken: Set<string>,
): Promise<string[]> {
  const cards: string[] = [];
  const drawn = new Set(taken);
  while (cards.length < count) {
    const card = newCardNumber();
    if (drawn.has(card)) continue;
    drawn.add(card);
    cards.push(card);
  }
  for (let start = 0; start < cards.length; start += IMPORT_CHUNK_SIZE) {
    const chunk = cards.slice(start, start + IMPORT_CHUNK_SIZE);
    const clashes = await em.find(Household, {
      where: { cardNo: In(chunk) },
      select: { id: true, cardNo: true },
    });
    for (const clash of clashes) {
      // one in ~10^5 per card at 10,000 households: draw again until it is free
      const index = cards.indexOf(clash.cardNo);
      const [fresh] = await newCardNumbers(em, 1, drawn);
      drawn.add(fresh);
      cards[index] = fresh;
    }
  }
  return cards;
}

/**
 * One multi-row INSERT. A duplicate key is either an ID number registered since the check (by
 * another request: the import is refused naming its rows) or a card number drawn meanwhile by
 * someone else (the chunk draws new ones and tries again; InnoDB undid only that statement).
 */
async function insertChunk(
  dataSource: DataSource,
  em: EntityManager,
  sheet: HouseholdSheet,
  chunk: PreparedRow[],
  initialCards: string[],
  used: Set<string>,
): Promise<ImportedHousehold[]> {
  let cards = initialCards;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await em
        .createQueryBuilder()
        .insert()
        .into(Household)
        .values(chunk.map((entry, i) => ({ ...entry.values, cardNo: cards[i] })))
        .updateEntity(false)
        .execute();
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // read outside this transaction: the conflicting household was committed by another
      const registered = await registeredByIdHash(
        dataSource.manager,
        chunk.map((entry) => entry.values.idNumberHash),
      );
      if (registered.size > 0) {
        const problems = chunk.flatMap((entry): ImportProblem[] => {
          const existing = registered.get(entry.values.idNumberHash);
          return existing ? [alreadyRegistered(entry.row, existing.cardNo)] : [];
        });
        throw importRejection(sheet, problems);
      }
      if (attempt >= CARD_NUMBER_ATTEMPTS) throw error;
      cards = await newCardNumbers(em, chunk.length, used);
      for (const card of cards) used.add(card);
    }
  }
  const ids = await em.find(Household, {
    where: { cardNo: In(cards) },
    select: { id: true, cardNo: true },
  });
  const idByCard = new Map(ids.map((household) => [household.cardNo, household.id]));
  return chunk.map((entry, i) => {
    const id = idByCard.get(cards[i]);
    if (id === undefined) throw new Error(`household ${cards[i]} vanished after its INSERT`);
    return { row: entry.row, id, cardNo: cards[i] };
  });
}
