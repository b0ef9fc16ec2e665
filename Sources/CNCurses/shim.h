// C shim for ncursesw. SwiftPM drops the -D flags pkg-config gives, so the
// wide-character API is switched on here, before <ncurses.h>. The static
// inline functions wrap what Swift cannot import: function-like macros,
// macros over globals (stdscr, LINES, COLS, COLORS, acs_map), and mutable C
// globals that Swift 6 strict concurrency rejects.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncurses.h>

// glibc declares wcwidth only under _XOPEN_SOURCE, which Swift's libc module
// is not built with.
extern int wcwidth(wchar_t c);
static inline int tk_wcwidth(wchar_t c) { return wcwidth(c); }

// Globals as functions.
static inline WINDOW *tk_stdscr(void) { return stdscr; }
static inline int tk_lines(void) { return LINES; }
static inline int tk_cols(void) { return COLS; }
static inline int tk_colors(void) { return COLORS; }
static inline int tk_color_pairs(void) { return COLOR_PAIRS; }
static inline int tk_set_escdelay(int ms) { return set_escdelay(ms); }

static inline void tk_getmaxyx(WINDOW *win, int *y, int *x) {
    int yy, xx;
    getmaxyx(win, yy, xx);
    *y = yy;
    *x = xx;
}

// Attributes.
static inline attr_t tk_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t tk_A_BOLD(void) { return A_BOLD; }
static inline attr_t tk_A_DIM(void) { return A_DIM; }
static inline attr_t tk_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t tk_A_REVERSE(void) { return A_REVERSE; }
static inline chtype tk_COLOR_PAIR(int n) { return COLOR_PAIR(n); }
static inline int tk_KEY_F(int n) { return KEY_F(n); }

// Alternate character set, for locales that cannot show Unicode box drawing.
static inline chtype tk_ACS_HLINE(void) { return ACS_HLINE; }
static inline chtype tk_ACS_VLINE(void) { return ACS_VLINE; }
static inline chtype tk_ACS_ULCORNER(void) { return ACS_ULCORNER; }
static inline chtype tk_ACS_URCORNER(void) { return ACS_URCORNER; }
static inline chtype tk_ACS_LLCORNER(void) { return ACS_LLCORNER; }
static inline chtype tk_ACS_LRCORNER(void) { return ACS_LRCORNER; }
static inline chtype tk_ACS_LTEE(void) { return ACS_LTEE; }
static inline chtype tk_ACS_RTEE(void) { return ACS_RTEE; }
static inline chtype tk_ACS_TTEE(void) { return ACS_TTEE; }
static inline chtype tk_ACS_BTEE(void) { return ACS_BTEE; }
static inline chtype tk_ACS_PLUS(void) { return ACS_PLUS; }
static inline chtype tk_ACS_BLOCK(void) { return ACS_BLOCK; }
static inline chtype tk_ACS_CKBOARD(void) { return ACS_CKBOARD; }
static inline chtype tk_ACS_UARROW(void) { return ACS_UARROW; }
static inline chtype tk_ACS_DARROW(void) { return ACS_DARROW; }
static inline chtype tk_ACS_LARROW(void) { return ACS_LARROW; }
static inline chtype tk_ACS_RARROW(void) { return ACS_RARROW; }

// Writes one cell: a spacing character plus up to CCHARW_MAX-1 combining
// characters (NUL-terminated `wch`), with attributes and an extended colour
// pair (passed through setcchar's opts, so pairs above 32767 work).
static inline int tk_mvadd_cell(WINDOW *win, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t c;
    int p = pair;
    if (setcchar(&c, wch, attrs, (short)(pair < 32768 ? pair : 0), &p) == ERR) return ERR;
    return mvwadd_wch(win, y, x, &c);
}

// Same, inserting: used for the bottom-right cell, where adding would try to
// move the cursor past the end of the screen.
static inline int tk_mvins_cell(WINDOW *win, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t c;
    int p = pair;
    if (setcchar(&c, wch, attrs, (short)(pair < 32768 ? pair : 0), &p) == ERR) return ERR;
    return mvwins_wch(win, y, x, &c);
}

static inline int tk_init_pair(int pair, int fg, int bg) {
    return init_extended_pair(pair, fg, bg);
}

static inline int tk_codeset_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    if (cs == NULL) return 0;
    return (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') && (cs[2] == 'F' || cs[2] == 'f');
}

// Mouse.
enum {
    TK_MOUSE_NONE = 0,
    TK_MOUSE_LEFT = 1,
    TK_MOUSE_MIDDLE = 2,
    TK_MOUSE_RIGHT = 3,
    TK_MOUSE_SCROLL_UP = 4,
    TK_MOUSE_SCROLL_DOWN = 5,
};

static inline mmask_t tk_mouse_mask_buttons(void) {
    mmask_t m = BUTTON1_PRESSED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    m |= BUTTON5_PRESSED;
#endif
    return m;
}

// Reads the pending mouse event: returns one of TK_MOUSE_*, and its cell.
static inline int tk_getmouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return TK_MOUSE_NONE;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON4_PRESSED) return TK_MOUSE_SCROLL_UP;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return TK_MOUSE_SCROLL_DOWN;
#endif
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return TK_MOUSE_LEFT;
    if (e.bstate & (BUTTON2_PRESSED | BUTTON2_CLICKED)) return TK_MOUSE_MIDDLE;
    if (e.bstate & (BUTTON3_PRESSED | BUTTON3_CLICKED)) return TK_MOUSE_RIGHT;
    return TK_MOUSE_NONE;
}

#endif
