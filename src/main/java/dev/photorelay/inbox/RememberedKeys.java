package dev.photorelay.inbox;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Keys remembered until removed, at most {@code limit} of them (the oldest is forgotten first), as a Camel idempotent
 * repository for the inbox consumer. Camel 4.14's {@code MemoryIdempotentRepository} logs every change and, once it
 * has seen twice its size in keys, scans that log on every add, removed keys included (CAMEL-23267): the inbox slowed
 * from 800 to 120 photos/s after 20,000 photos in the benchmark.
 */
public class RememberedKeys extends ServiceSupport implements IdempotentRepository {

    private final Map<String, Boolean> keys;

    public RememberedKeys(int limit) {
        this.keys = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > limit;
            }
        };
    }

    @Override
    public synchronized boolean add(String key) {
        return keys.putIfAbsent(key, Boolean.TRUE) == null;
    }

    @Override
    public synchronized boolean contains(String key) {
        return keys.containsKey(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return keys.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        keys.clear();
    }
}
