-- wrk script: each request takes the next path from the file named by WRK_PATHS (one path per line),
-- so a run spreads over many different listings instead of one cached page.
local paths = {}
local counter = 0

function init(args)
    local name = os.getenv("WRK_PATHS")
    for line in io.lines(name) do
        if #line > 0 then paths[#paths + 1] = line end
    end
    -- Threads start at different offsets so they do not walk the list in lockstep.
    counter = math.random(#paths)
end

function request()
    counter = counter % #paths + 1
    return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
    local non2xx = summary.errors.status
    io.write(string.format("non-2xx: %d\n", non2xx))
end
