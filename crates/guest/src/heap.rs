//! The global allocator: a bump allocator over `_end..HEAP_END`.
//!
//! Guests are short-lived and bounded, so memory is never reused in general; the exceptions are
//! cheap and cover the common patterns: freeing or resizing the most recent allocation (a growing
//! `Vec`, a temporary `String`) moves the bump pointer instead of leaving a hole.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr;

use geode_platform::memory::{HEAP_END, WORD_BYTES};

use crate::cell::GuestCell;

/// Every allocation is at least word aligned, whatever its layout asks for, so that byte buffers
/// can be handed straight to `HINT_READ`, which writes whole words to word-aligned addresses.
pub(crate) const MIN_ALIGN: usize = WORD_BYTES as usize;

unsafe extern "C" {
    /// First byte past the image (end of .bss), defined by the linker script.
    static _end: u8;
}

#[global_allocator]
static HEAP: BumpAllocator = BumpAllocator {
    next: GuestCell::new(0),
};

struct BumpAllocator {
    /// First free address; 0 until the first allocation reads `_end`, which a static
    /// initializer cannot.
    next: GuestCell<usize>,
}

impl BumpAllocator {
    /// Moves the bump pointer from `*next` to make room for `layout`; returns the start address,
    /// or `None` when the heap is exhausted.
    fn bump(next: &mut usize, layout: Layout) -> Option<usize> {
        if *next == 0 {
            *next = (&raw const _end).addr();
        }
        let align = layout.align().max(MIN_ALIGN);
        let start = next.checked_next_multiple_of(align)?;
        let end = start.checked_add(layout.size())?;
        if end > HEAP_END as usize {
            return None;
        }
        *next = end;
        Some(start)
    }
}

// SAFETY: `bump` hands out disjoint ranges inside `_end..HEAP_END`, memory that nothing else uses
// (the image lies below `_end`, the stack above `HEAP_END`), each aligned as the layout asks; a
// range is only handed out again after `dealloc`/`realloc` have given it back.
unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.next.with(|next| Self::bump(next, layout)) {
            // The heap is not part of any Rust allocation, so the pointer takes its provenance
            // from the address space as a whole.
            Some(addr) => ptr::with_exposed_provenance_mut(addr),
            // A null return makes `alloc` report the failure, which panics.
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.next.with(|next| {
            // Give back the most recent allocation; anything else stays allocated for good.
            if ptr.addr() + layout.size() == *next {
                *next = ptr.addr();
            }
        });
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let in_place = self.next.with(|next| {
            let is_last = ptr.addr() + layout.size() == *next;
            match ptr.addr().checked_add(new_size) {
                Some(end) if is_last && end <= HEAP_END as usize => {
                    *next = end;
                    true
                }
                _ => false,
            }
        });
        if in_place {
            return ptr;
        }
        // SAFETY: the caller guarantees `layout.align()` and `new_size` form a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_layout` is non-zero-sized, because the caller guarantees `new_size > 0`.
        let new_ptr = unsafe { self.alloc(new_layout) };
        if !new_ptr.is_null() {
            // SAFETY: both blocks are live and distinct (the old one was not the last, or it
            // could not grow, so the new one lies past it), and each holds at least the copied
            // length.
            unsafe { ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size)) };
            // SAFETY: `ptr` was allocated by this allocator with `layout`.
            unsafe { self.dealloc(ptr, layout) };
        }
        new_ptr
    }
}
