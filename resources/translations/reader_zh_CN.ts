<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../reader/ui/main_window.py" line="260"/>
        <source>&amp;Open Folder…</source>
        <translation>打开文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="261"/>
        <source>&amp;Reload</source>
        <translation>重新载入(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="262"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="263"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="265"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="266"/>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="267"/>
        <source>Reading &amp;Font…</source>
        <translation>阅读字体(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="268"/>
        <source>&amp;Next Post</source>
        <translation>下一篇(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="269"/>
        <source>&amp;Previous Post</source>
        <translation>上一篇(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="270"/>
        <source>Next &amp;Unread Post</source>
        <translation>下一篇未读(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="271"/>
        <source>Scroll Down or Next Unread</source>
        <translation>向下翻页或下一篇未读</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="272"/>
        <source>Toggle &amp;Read</source>
        <translation>切换已读(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="273"/>
        <source>Mark as &amp;Unread</source>
        <translation>标为未读(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="274"/>
        <source>Toggle &amp;Star</source>
        <translation>切换星标(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="276"/>
        <source>Mark &amp;All in This View as Read</source>
        <translation>将此视图全部标为已读(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="278"/>
        <source>&amp;Open Original in Browser</source>
        <translation>在浏览器中打开原文(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="279"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="280"/>
        <source>&amp;Find in Post / Search</source>
        <translation>在文章中查找 / 搜索(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="281"/>
        <source>Copy Post &amp;Text</source>
        <translation>复制文章文字(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="282"/>
        <source>Copy Post &amp;Link</source>
        <translation>复制文章链接(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="283"/>
        <source>Next &amp;Match</source>
        <translation>下一个匹配(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="285"/>
        <source>Previous Match</source>
        <translation>上一个匹配</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="287"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="288"/>
        <source>&amp;About Reader</source>
        <translation>关于 Reader(&amp;A)</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="17"/>
        <location filename="../../reader/ui/find_bar.py" line="18"/>
        <source>Find in this post</source>
        <translation>在这篇文章中查找</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="23"/>
        <source>Previous match (Shift+Enter)</source>
        <translation>上一个匹配（Shift+Enter）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="26"/>
        <source>Next match (Enter)</source>
        <translation>下一个匹配（Enter）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="29"/>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../reader/ui/main_window.py" line="119"/>
        <source>Not following changes on disk: %s</source>
        <extracomment>Marking every post of a node read asks first above this many posts. How often marks made by another Reader window on the same archive are picked up (ms). Typing pauses this long before a search runs (ms).</extracomment>
        <translation>未能跟踪磁盘上的变化：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="141"/>
        <source>Welcome to Reader</source>
        <translation>欢迎使用 Reader</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="141"/>
        <source>Open a folder of posts with File → Open Folder… (Ctrl+O).</source>
        <translation>用“文件 → 打开文件夹…”（Ctrl+O）打开一个文章文件夹。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="152"/>
        <source>Categories, tags and archive</source>
        <translation>分类、标签与归档</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="161"/>
        <source>Posts</source>
        <translation>文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="184"/>
        <source>Post list message</source>
        <translation>文章列表提示</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="190"/>
        <source>Search titles and text (/ or Ctrl+F)</source>
        <translation>搜索标题和正文（/ 或 Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="192"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="196"/>
        <source>Matches</source>
        <translation>匹配数</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="217"/>
        <source>Search index unavailable: %s</source>
        <translation>搜索索引不可用：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="292"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="294"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="300"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="304"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="307"/>
        <location filename="../../reader/ui/main_window.py" line="319"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="307"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="307"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="314"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="320"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="321"/>
        <source>简体中文</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="329"/>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="335"/>
        <source>&amp;Post</source>
        <translation>文章(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="342"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="372"/>
        <source>Loading %s…</source>
        <translation>正在载入 %s…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="374"/>
        <location filename="../../reader/ui/main_window.py" line="375"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="380"/>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="436"/>
        <source>%v of %m files</source>
        <translation>%v / %m 个文件</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="443"/>
        <location filename="../../reader/ui/main_window.py" line="447"/>
        <source>This folder cannot be read</source>
        <translation>无法读取此文件夹</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="444"/>
        <source>No archive is open.</source>
        <translation>没有打开的文章库。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="448"/>
        <source>The current archive stays open.</source>
        <translation>当前文章库保持打开。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="464"/>
        <location filename="../../reader/ui/main_window.py" line="508"/>
        <source>No posts in this folder</source>
        <translation>此文件夹中没有文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="465"/>
        <source>%s holds no posts Reader can show. The current archive stays open.</source>
        <translation>%s 中没有 Reader 能显示的文章。当前文章库保持打开。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="467"/>
        <source>No posts in %s</source>
        <translation>%s 中没有文章</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="498"/>
        <source>Loaded %n posts</source>
        <translation>
            <numerusform>已载入 %n 篇文章</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="500"/>
        <source>%n problems (see posts marked ⚠)</source>
        <translation>
            <numerusform>%n 个问题（见标有 ⚠ 的文章）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="502"/>
        <source>Updated from disk: %n posts</source>
        <translation>
            <numerusform>已从磁盘更新：%n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="510"/>
        <source>Reader found no posts in %s. Posts are files in _posts/ named YYYY-MM-DD-title.md, or text files with front matter and a date.</source>
        <translation>Reader 在 %s 中没有找到文章。文章是 _posts/ 中名为 YYYY-MM-DD-标题.md 的文件，或带有头信息和日期的文本文件。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="515"/>
        <source>No posts in this archive.</source>
        <translation>此文章库中没有文章。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="605"/>
        <source>Choose a category, tag or month in %s.</source>
        <translation>请在“%s”中选择一个分类、标签或月份。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="607"/>
        <source>No posts in %s.</source>
        <translation>“%s”中没有文章。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="608"/>
        <source>Nothing to show here.</source>
        <translation>这里没有可显示的内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="619"/>
        <source>%n posts. Select one to read it, or press N for the next unread.</source>
        <translation>
            <numerusform>%n 篇文章。选择一篇阅读，或按 N 转到下一篇未读。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="696"/>
        <source>No unread posts.</source>
        <translation>没有未读文章。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="779"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="724"/>
        <location filename="../../reader/ui/main_window.py" line="787"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="788"/>
        <source>indexing…</source>
        <translation>正在建立索引…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="793"/>
        <source>No matches for “%1” in %2.</source>
        <translation>在“%2”中没有找到“%1”。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="804"/>
        <source>Indexing for search… %1 of %2</source>
        <translation>正在建立搜索索引… %1 / %2</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="853"/>
        <source>Mark all as read</source>
        <translation>全部标为已读</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="854"/>
        <source>Mark all %n posts in this view as read?</source>
        <translation>
            <numerusform>将此视图中的 %n 篇文章全部标为已读？</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="881"/>
        <source>%1 posts · %2 unread</source>
        <translation>%1 篇文章 · %2 篇未读</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="901"/>
        <source>The interface language changes the next time Reader starts.</source>
        <translation>界面语言将在下次启动 Reader 时生效。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="918"/>
        <source>No category named %s in this archive.</source>
        <translation>此文章库中没有名为 %s 的分类。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="920"/>
        <source>No tag named %s in this archive.</source>
        <translation>此文章库中没有名为 %s 的标签。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="926"/>
        <source>This link is not followed: %s</source>
        <translation>不会打开此链接：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="935"/>
        <source>This post names no original address.</source>
        <translation>这篇文章没有注明原文地址。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="943"/>
        <source>Reading Font</source>
        <translation>阅读字体</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="978"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="980"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="980"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="1004"/>
        <source>About Reader</source>
        <translation>关于 Reader</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="1005"/>
        <source>Reader %s
Read archives of Jekyll-style posts offline.</source>
        <translation>Reader %s
离线阅读 Jekyll 风格的文章库。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="1025"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="1028"/>
        <source>%s (missing)</source>
        <translation>%s（已不存在）</translation>
    </message>
</context>
<context>
    <name>NavModel</name>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="104"/>
        <source>All posts</source>
        <translation>全部文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="105"/>
        <source>Unread</source>
        <translation>未读</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="106"/>
        <source>Starred</source>
        <translation>已加星标</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="110"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="111"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="117"/>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="286"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n 篇未读</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="286"/>
        <source>%n posts</source>
        <translation>
            <numerusform>%n 篇文章</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PostTableModel</name>
    <message>
        <location filename="../../reader/ui/post_model.py" line="74"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="74"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="74"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="197"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="223"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="223"/>
        <source>Unpublished</source>
        <translation>未发布</translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message>
        <location filename="../../reader/ui/viewer.py" line="67"/>
        <source>Post</source>
        <extracomment>The longest line, in CJK characters (Chinese typography: 35-45).</extracomment>
        <translation>文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="112"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="113"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="114"/>
        <source>unpublished</source>
        <translation>未发布</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="115"/>
        <source>Problems with this file</source>
        <translation>此文件的问题</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="138"/>
        <source>This file cannot be read now:</source>
        <translation>现在无法读取此文件：</translation>
    </message>
</context>
</TS>
