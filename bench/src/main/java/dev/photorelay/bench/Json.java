package dev.photorelay.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as indented JSON (no library: the bench is JDK only). */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        if (value instanceof Map<?, ?> map) {
            writeAll(map.entrySet().iterator(), out, indent, '{', '}', (entry, inner) -> {
                string(entry.getKey().toString(), out);
                out.append(": ");
                write(entry.getValue(), out, inner);
            });
        } else if (value instanceof List<?> list) {
            writeAll(list.iterator(), out, indent, '[', ']', (item, inner) -> write(item, out, inner));
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean || value == null) {
            out.append(value);
        } else {
            string(value.toString(), out);
        }
    }

    private interface ItemWriter<T> {
        void write(T item, String indent);
    }

    private static <T> void writeAll(Iterator<T> items, StringBuilder out, String indent, char open, char close,
            ItemWriter<T> writer) {
        String inner = indent + "  ";
        out.append(open);
        boolean first = true;
        while (items.hasNext()) {
            out.append(first ? "\n" : ",\n").append(inner);
            writer.write(items.next(), inner);
            first = false;
        }
        out.append(first ? "" : "\n" + indent).append(close);
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
