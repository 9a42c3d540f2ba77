#!/usr/bin/env node
/**
 * Works around npm's lock-file bug with platform-specific optional
 * dependencies (npm/cli#4828, #8320): `npm install` on one platform leaves the
 * other platforms' optional packages (here: rollup's native builds, pulled in
 * by vitest) out of package-lock.json, and `npm ci` then refuses the lock as
 * out of sync. This adds the missing entries – version from the parent's
 * optionalDependencies, os/cpu/libc from the package name, as npm would have
 * recorded them – so `npm ci` works on any machine. It asks no registry (the
 * one here serves only this platform's builds).
 *
 * Run after changing dependencies: npm install && node scripts/fix-lock-optional.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(android|darwin|freebsd|linux|openbsd|openharmony|win32|sunos|aix|netbsd)-([a-z0-9]+)(?:-(gnu|musl|gnueabihf|musleabihf|msvc|eabi))?$/;

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] !== undefined || packages[`${path}/${key}`] !== undefined) continue;
    const m = PLATFORM.exec(name);
    if (!m) throw new Error(`${name}: missing from the lock and not a platform package; run npm install on a machine that can resolve it`);
    const [, os, cpu, abi] = m;
    const record = { version, cpu: [cpu] };
    if (abi === 'gnu' || abi === 'gnueabihf') record.libc = ['glibc'];
    if (abi === 'musl' || abi === 'musleabihf') record.libc = ['musl'];
    if (entry.dev) record.dev = true;
    if (entry.license) record.license = entry.license;
    record.optional = true;
    record.os = [os];
    packages[key] = record;
    added.push(name);
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`added ${added.length} missing optional platform entries${added.length ? `: ${added.join(', ')}` : ''}\n`);
