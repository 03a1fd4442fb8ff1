'use strict';

// 本书对 mdBook 默认主题的补充：
// 1. 用 Pagefind 实现中文搜索，沿用 mdBook 自己的搜索框和结果列表（外观与快捷键不变）。
//    mdBook 自带的索引按空白切词，中文一个词也搜不到；Pagefind 的扩展版用 ICU 切分中文。
// 2. 把界面上几处英文提示换成中文。
//
// 所有文件都来自提供本书的主机：pagefind/ 目录与章节在同一个站点下，
// 用 path_to_root 定位，所以本书放在子路径下（例如 GitHub Pages）也能用。

/* global path_to_root */

(function readerSearch() {
    const wrapper = document.getElementById('mdbook-search-wrapper');
    const toggle = document.getElementById('mdbook-search-toggle');
    const input = document.getElementById('mdbook-searchbar');
    const outer = document.getElementById('mdbook-searchbar-outer');
    const resultsOuter = document.getElementById('mdbook-searchresults-outer');
    const header = document.getElementById('mdbook-searchresults-header');
    const list = document.getElementById('mdbook-searchresults');
    if (!wrapper || !toggle || !input || !list) {
        return;
    }

    const MAX_RESULTS = 10;
    const SEARCH_PARAM = 'search';
    const root = new URL(path_to_root + './', document.baseURI);
    let pagefind = null;
    let loading = null;
    let composing = false;
    let timer = null;
    let serial = 0;

    input.placeholder = '搜索本书……';
    input.setAttribute('aria-label', '搜索本书');
    toggle.title = '搜索（快捷键 S 或 /）';
    toggle.setAttribute('aria-label', '打开或关闭搜索框');

    function loadPagefind() {
        if (!loading) {
            outer.classList.add('searching');
            loading = import(new URL('pagefind/pagefind.js', root).href)
                .then(async function (module) {
                    // 结果链接以本书的根目录为基准，而不是站点的根目录。
                    // 本书的章节很长：Pagefind 默认按页面长度大幅压低长页的得分（pageLength 0.75），
                    // 一个词在专讲它的长章里出现几十次，反而排在只提过一次的短页后面。调低这一项。
                    await module.options({ baseUrl: root.pathname, excerptLength: 40, ranking: { pageLength: 0.1 } });
                    module.init();
                    pagefind = module;
                    return module;
                })
                .catch(function (e) {
                    loading = null;
                    header.textContent = '搜索索引没有加载成功。用 `cargo xtask serve` 构建并打开本书，搜索索引才会生成。';
                    resultsOuter.classList.remove('hidden');
                    console.warn('Pagefind 加载失败：', e);
                    return null;
                })
                .finally(function () {
                    outer.classList.remove('searching');
                });
        }
        return loading;
    }

    function showSearch(yes) {
        if (yes) {
            wrapper.classList.remove('hidden');
            toggle.setAttribute('aria-expanded', 'true');
            loadPagefind();
            window.scrollTo(0, 0);
            input.focus();
            input.select();
        } else {
            wrapper.classList.add('hidden');
            toggle.setAttribute('aria-expanded', 'false');
            // 焦点不能留在看不见的输入框里：否则紧接着按 S，字母打进了输入框，搜索却没有打开。
            input.blur();
        }
    }

    function clearResults() {
        while (list.firstChild) {
            list.removeChild(list.firstChild);
        }
        header.textContent = '';
        resultsOuter.classList.add('hidden');
    }

    function setUrlParam(term) {
        const url = new URL(window.location.href);
        if (term) {
            url.searchParams.set(SEARCH_PARAM, term);
        } else {
            url.searchParams.delete(SEARCH_PARAM);
        }
        history.replaceState(history.state, document.title, url.href);
    }

    // Pagefind 给出的摘录已经转义过，只含 <mark>；这里仍然只保留 <mark>。
    function safeExcerpt(html) {
        const tmp = document.createElement('div');
        tmp.innerHTML = html;
        const out = document.createElement('span');
        tmp.childNodes.forEach(function (node) {
            if (node.nodeType === Node.ELEMENT_NODE && node.tagName === 'MARK') {
                const m = document.createElement('mark');
                m.textContent = node.textContent;
                out.appendChild(m);
            } else {
                out.appendChild(document.createTextNode(node.textContent));
            }
        });
        return out;
    }

    function renderResult(data) {
        const li = document.createElement('li');
        li.className = 'search-result';
        const a = document.createElement('a');
        // 有小节命中时直接跳到最相关的小节。
        // 命中最多的小节；它就是页面开头时不加锚点。
        const best = (data.sub_results || []).slice().sort(function (x, y) {
            return (y.locations || []).length - (x.locations || []).length;
        })[0];
        const sub = best && best.url !== data.url ? best : null;
        a.href = sub ? sub.url : data.url;
        a.textContent = data.meta && data.meta.title ? data.meta.title : data.url;
        if (sub && sub.title && sub.title !== a.textContent) {
            const section = document.createElement('span');
            section.className = 'search-result-section';
            section.textContent = ' › ' + sub.title;
            a.appendChild(section);
        }
        li.appendChild(a);
        const teaser = document.createElement('span');
        teaser.className = 'teaser';
        teaser.appendChild(safeExcerpt(sub ? sub.excerpt : data.excerpt));
        li.appendChild(teaser);
        return li;
    }

    async function doSearch(term) {
        const mine = ++serial;
        const pf = await loadPagefind();
        if (!pf || mine !== serial) {
            return;
        }
        const search = await pf.search(term);
        if (mine !== serial || !search) {
            return;
        }
        // Pagefind 把中文查询切成词再分别匹配（“时间轮”会匹配只含“时间”的页面）。
        // 多取一些结果，把正文里完整出现查询词的页面排到前面，其余保持 Pagefind 的顺序。
        const candidates = search.results.slice(0, MAX_RESULTS * 3);
        const loaded = await Promise.all(candidates.map(function (r) { return r.data(); }));
        const exact = function (d) { return (d.content || '').indexOf(term) >= 0 ? 1 : 0; };
        const data = loaded
            .map(function (d, i) { return { d: d, i: i }; })
            .sort(function (x, y) { return exact(y.d) - exact(x.d) || x.i - y.i; })
            .slice(0, MAX_RESULTS)
            .map(function (x) { return x.d; });
        if (mine !== serial) {
            return;
        }
        clearResults();
        const total = search.results.length;
        header.textContent = total === 0
            ? '没有找到与“' + term + '”相关的内容'
            : '找到 ' + total + ' 个与“' + term + '”相关的页面'
              + (total > MAX_RESULTS ? '，下面列出前 ' + MAX_RESULTS + ' 个' : '');
        data.forEach(function (d) { list.appendChild(renderResult(d)); });
        resultsOuter.classList.remove('hidden');
    }

    function onInput() {
        if (composing) {
            return; // 中文输入法还在组字，等它完成再搜。
        }
        clearTimeout(timer);
        timer = setTimeout(function () {
            const term = input.value.trim();
            setUrlParam(term);
            if (term === '') {
                serial++;
                clearResults();
                input.classList.remove('active');
                return;
            }
            input.classList.add('active');
            doSearch(term);
        }, 120);
    }

    function focused() {
        return document.activeElement === input;
    }

    function move(delta) {
        const items = Array.from(list.children);
        if (items.length === 0) {
            return;
        }
        const current = items.findIndex(function (li) { return li.classList.contains('focus'); });
        items.forEach(function (li) { li.classList.remove('focus'); });
        const next = current + delta;
        if (next < 0) {
            input.focus();
            return;
        }
        const li = items[Math.min(next, items.length - 1)];
        li.classList.add('focus');
        input.blur();
        li.scrollIntoView({ block: 'nearest' });
    }

    toggle.addEventListener('click', function () {
        showSearch(wrapper.classList.contains('hidden'));
    });
    input.addEventListener('compositionstart', function () { composing = true; });
    input.addEventListener('compositionend', function () { composing = false; onInput(); });
    input.addEventListener('input', onInput);
    document.addEventListener('submit', function (e) {
        if (e.target === outer) {
            e.preventDefault();
        }
    });
    document.addEventListener('keydown', function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) {
            return;
        }
        const inOtherField = !focused() && /^(?:input|select|textarea)$/i.test(e.target.nodeName);
        if (inOtherField) {
            return;
        }
        const open = !wrapper.classList.contains('hidden');
        if (e.key === 'Escape' && open) {
            e.preventDefault();
            input.value = '';
            setUrlParam('');
            clearResults();
            showSearch(false);
        } else if (!focused() && !e.shiftKey && (e.key === 's' || e.key === '/')) {
            e.preventDefault();
            showSearch(true);
        } else if (open && e.key === 'ArrowDown') {
            e.preventDefault();
            move(1);
        } else if (open && e.key === 'ArrowUp' && !focused()) {
            e.preventDefault();
            move(-1);
        } else if (open && e.key === 'Enter') {
            const target = list.querySelector('li.focus a') || (focused() && list.querySelector('li a'));
            if (target) {
                e.preventDefault();
                window.location.assign(target.href);
            }
        }
    });

    // 带 ?search=词 打开的页面直接显示搜索结果（mdBook 自带搜索也这样做）。
    const initial = new URL(window.location.href).searchParams.get(SEARCH_PARAM);
    if (initial) {
        input.value = initial;
        showSearch(true);
        input.classList.add('active');
        doSearch(initial);
    }
})();

(function readerChrome() {
    // mdBook 的界面文字是英文的；把读者最常看到的几处换成中文。
    const titles = {
        'mdbook-sidebar-toggle': '显示或隐藏目录',
        'mdbook-theme-toggle': '切换主题',
    };
    Object.keys(titles).forEach(function (id) {
        const el = document.getElementById(id);
        if (el) {
            el.title = titles[id];
            el.setAttribute('aria-label', titles[id]);
        }
    });
    const print = document.querySelector('a[href$="print.html"]');
    if (print) {
        print.title = '打印本书';
        print.setAttribute('aria-label', '打印本书');
    }
    document.querySelectorAll('.play-button').forEach(function (b) {
        b.title = '在 Rust Playground 上运行（会把代码发送到 play.rust-lang.org）';
        b.setAttribute('aria-label', b.title);
    });
})();
