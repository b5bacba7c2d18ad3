package dev.rdsbackup.api.constraints;

/**
 * Test oracles: the rules of names and descriptions written out by hand, without regular expressions, so
 * the constraints' regular expressions are checked against an independent reading of the rules.
 */
final class Grammar {
    /** The characters {@link BackupDescription} bans by name. */
    static final String BANNED_DESCRIPTION_CHARS = "><!\"&'=";

    private Grammar() {
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** Rule 2 of the brief: 4 to 64 characters, starts with an ASCII letter, ASCII letters, digits, - and _. */
    static boolean isValidName(String s) {
        if (s.length() < 4 || s.length() > 64 || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(c -> isNameChar((char) c));
    }

    /** Rule 3 of the brief, plus the constraint's ban on control and format characters. */
    static boolean isValidDescription(String s) {
        if (s.length() > 256) {
            return false;
        }
        return s.codePoints().noneMatch(cp -> BANNED_DESCRIPTION_CHARS.indexOf(cp) >= 0
                || Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR);
    }
}
