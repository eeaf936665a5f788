import { describe, expect, it } from 'vitest';
import { GAP, placePopover } from '#app/results/popover-placement';

// A matrix frame 1000 px wide and 600 px tall; popovers 400 × 250.
const frame = { left: 0, top: 0, right: 1000, bottom: 600 };
const size = { width: 400, height: 250 };
const cell = (left: number, top: number) => ({ left, top, right: left + 110, bottom: top + 50 });

describe('where a matrix drill-down opens', () => {
  it('opens below the cell, aligned with its left edge, when it fits', () => {
    expect(placePopover(cell(300, 100), size, frame)).toEqual({ left: 0, side: 'below', maxHeight: null, maxWidth: null });
  });

  it('shifts left in the last column so its right edge stays inside the frame', () => {
    const p = placePopover(cell(880, 100), size, frame);
    expect(880 + p.left + size.width).toBe(frame.right - GAP);
    expect(p.side).toBe('below');
  });

  it('opens above the cell in the last rows', () => {
    expect(placePopover(cell(300, 500), size, frame).side).toBe('above');
  });

  it('takes the roomier side and caps its height when neither has room, and its width in a narrow frame', () => {
    const p = placePopover(cell(10, 120), { width: 400, height: 500 }, { left: 0, top: 0, right: 300, bottom: 400 });
    expect(p).toEqual({ left: GAP - 10, side: 'below', maxHeight: 400 - 170 - GAP, maxWidth: 300 - 2 * GAP });
  });
});
