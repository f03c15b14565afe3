import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-snapshot.js';

afterAll(() => removeTempDirs());
