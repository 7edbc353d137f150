-- wrk script for benchmarks/webhooks.sh: POST pre-signed Stripe events (benchmarks/webhooks_events.py
-- writes one "<signature>\t<body>" per line to the file named by WRK_EVENTS). Thread k of n sends lines
-- k, k+n, k+2n, ... so no two threads send the same event; a thread that runs out starts over (those
-- repeats are acknowledged as duplicates and not stored, so they do not count as stored events).
local counter = 0
local threads = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    threads = counter
end

function init(args)
    nthreads = tonumber(os.getenv("WRK_THREADS"))
    events = {}
    local n = 0
    for line in io.lines(os.getenv("WRK_EVENTS")) do
        n = n + 1
        if n % nthreads == id - 1 then
            local tab = line:find("\t", 1, true)
            events[#events + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
        end
    end
    position = 0
end

function request()
    position = position % #events + 1
    local event = events[position]
    return wrk.format("POST", "/payments/webhooks/stripe/", {
        ["Content-Type"] = "application/json",
        ["Stripe-Signature"] = event[1],
    }, event[2])
end

function done(summary, latency, requests)
    io.write(string.format("non-2xx: %d, socket errors: %d\n", summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
