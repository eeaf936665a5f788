/**
 * Where a matrix cell's drill-down opens. The matrix scrolls sideways inside its frame (`overflow-x: auto`, which
 * clips vertically too), so a popover hanging off the last column or below the last row was cut off. Given the
 * cell's box, the popover's natural size and the visible frame (the scroll frame within the window), this picks an
 * offset that keeps the popover inside: left-aligned to the cell where it fits, else shifted left to the frame's
 * right edge; below the cell where it fits, else above it, else on the roomier side with its height capped (it
 * scrolls). Pure, so it is unit-tested; the component applies it on `toggle`.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Placement {
  /** Offset of the popover's left edge from the cell's left edge, in px. */
  left: number;
  side: 'below' | 'above';
  /** Set when neither side has room for the whole popover. */
  maxHeight: number | null;
  /** Set when the frame is narrower than the popover. */
  maxWidth: number | null;
}

/** Room kept between the popover and the frame's edge. */
export const GAP = 4;

export function placePopover(cell: Box, size: { width: number; height: number }, frame: Box): Placement {
  const room = frame.right - frame.left - 2 * GAP;
  const width = Math.min(size.width, room);
  let left = 0;
  if (cell.left + width > frame.right - GAP) left = frame.right - GAP - width - cell.left;
  if (cell.left + left < frame.left + GAP) left = frame.left + GAP - cell.left;
  const below = frame.bottom - cell.bottom - GAP;
  const above = cell.top - frame.top - GAP;
  let side: Placement['side'] = 'below';
  let maxHeight: number | null = null;
  if (size.height > below) {
    if (size.height <= above) side = 'above';
    else {
      side = above > below ? 'above' : 'below';
      maxHeight = Math.max(0, Math.floor(Math.max(above, below)));
    }
  }
  return { left: Math.round(left), side, maxHeight, maxWidth: width < size.width ? Math.floor(width) : null };
}

/** The part of `a` that `b` leaves visible. */
export function intersect(a: Box, b: Box): Box {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}
