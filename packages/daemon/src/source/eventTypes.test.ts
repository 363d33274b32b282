/**
 * The event types are listed twice: in core's wire contract (what the source documents) and in
 * inference's episode segmentation (what carries meaning), because inference has no dependencies
 * and cannot import core. The daemon hands the one to the other, so here they must agree.
 */
import { KNOWN_EVENT_TYPES as SOURCE_TYPES } from '@lmdash/core';
import { KNOWN_EVENT_TYPES as EPISODE_TYPES } from '@lmdash/inference';
import { expect, test } from 'bun:test';

test('core and inference know the same event types', () => {
  expect([...EPISODE_TYPES].sort()).toEqual([...SOURCE_TYPES].sort());
});
